Instance: gunma-university-hospital
InstanceOf: NanbyoHospital
Usage: #example
Title: "群馬大学医学部附属病院 (Gunma University Hospital)"
Description: "群馬県の難病診療連携拠点病院。医療機関コード 1017010016 (関東信越厚生局の保険医療機関一覧, 2025-08)。"
* identifier[medicalInstitutionCode].value = "1017010016"
* name = "群馬大学医学部附属病院"
* alias = "Gunma University Hospital"
* type = NanbyoOrganizationType#hospital "病院"
* extension[prefecture].valueCoding = $jp-prefecture-no#10 "群馬県"
* address.text = "群馬県前橋市昭和町3-39-15"
* address.state = "群馬県"
* address.city = "前橋市"
* address.line = "昭和町3-39-15"
* address.postalCode = "371-8511"
* address.country = "JP"
* endpoint = Reference(gunma-university-hospital-fhir-endpoint)
