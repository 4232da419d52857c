Instance: nanbyo-healthcareservice-accepting-referrals
InstanceOf: SearchParameter
Usage: #definition
Title: "HealthcareService: 紹介受入可否で検索 (accepting-referrals)"
* insert SearchParameterMetadata
* name = "NanbyoHealthcareServiceAcceptingReferrals"
* description = "紹介を受け入れているサービスを検索する (拡張 nanbyo-accepting-referrals)。例: accepting-referrals=true. Services accepting new referrals."
* code = #accepting-referrals
* base = #HealthcareService
* expression = "HealthcareService.extension('http://nanbyo.jp/fhir/StructureDefinition/nanbyo-accepting-referrals').value.ofType(boolean)"
