Instance: gunma-university-hospital-fhir-endpoint
InstanceOf: NanbyoEndpoint
Usage: #example
Title: "群馬大学医学部附属病院の FHIR REST 接続先 (example address)"
Description: "紹介の送受信に使う FHIR REST の接続先。アドレスは例示用ドメイン (example.jp)。"
* status = #active
* connectionType = $endpoint-connection-type#hl7-fhir-rest "HL7 FHIR"
* name = "群馬大学医学部附属病院 FHIR"
* managingOrganization = Reference(gunma-university-hospital) "群馬大学医学部附属病院"
* payloadType = $endpoint-payload-type#any "Any"
* payloadMimeType = #application/fhir+json
* address = "https://fhir.example.jp/gunma-university-hospital/fhir"
