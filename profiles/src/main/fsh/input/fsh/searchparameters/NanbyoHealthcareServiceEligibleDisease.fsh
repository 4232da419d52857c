Instance: nanbyo-healthcareservice-eligible-disease
InstanceOf: SearchParameter
Usage: #definition
Title: "HealthcareService: 対象疾病で検索 (eligible-disease)"
* insert SearchParameterMetadata
* name = "NanbyoHealthcareServiceEligibleDisease"
* description = "対象疾病 (拡張 nanbyo-eligible-disease) でサービスを検索する。例: eligible-disease=http://nanbyo.jp/fhir/CodeSystem/nanbyo-shitei-nanbyo|2 (筋萎縮性側索硬化症). Services by eligible disease."
* code = #eligible-disease
* base = #HealthcareService
* expression = "HealthcareService.extension('http://nanbyo.jp/fhir/StructureDefinition/nanbyo-eligible-disease').value.ofType(CodeableConcept)"
