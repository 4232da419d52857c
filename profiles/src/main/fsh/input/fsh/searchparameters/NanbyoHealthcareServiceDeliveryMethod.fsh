Instance: nanbyo-healthcareservice-delivery-method
InstanceOf: SearchParameter
Usage: #definition
Title: "HealthcareService: 提供方法で検索 (delivery-method)"
* insert SearchParameterMetadata
* name = "NanbyoHealthcareServiceDeliveryMethod"
* description = "提供方法 (拡張 nanbyo-delivery-method: in-person | online) でサービスを検索する。例: delivery-method=online. Services by delivery method."
* code = #delivery-method
* base = #HealthcareService
* expression = "HealthcareService.extension('http://nanbyo.jp/fhir/StructureDefinition/nanbyo-delivery-method').value.ofType(code)"
