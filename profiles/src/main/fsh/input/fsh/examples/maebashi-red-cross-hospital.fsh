Instance: maebashi-red-cross-hospital
InstanceOf: NanbyoHospital
Usage: #example
Title: "前橋赤十字病院 (Maebashi Red Cross Hospital)"
Description: "群馬県の難病医療協力病院 (二次医療圏 前橋)。医療機関コード 1010112611 (関東信越厚生局の保険医療機関一覧, 2025-08)。"
* identifier[medicalInstitutionCode].value = "1010112611"
* name = "前橋赤十字病院"
* type = NanbyoOrganizationType#hospital "病院"
* extension[prefecture].valueCoding = $jp-prefecture-no#10 "群馬県"
* address.text = "群馬県前橋市朝倉町389-1"
* address.state = "群馬県"
* address.city = "前橋市"
* address.line = "朝倉町389-1"
* address.postalCode = "371-0811"
* address.country = "JP"
