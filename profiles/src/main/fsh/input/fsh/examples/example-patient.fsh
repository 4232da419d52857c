Instance: example-patient
InstanceOf: NanbyoPatient
Usage: #example
Title: "患者 (架空): 前橋赤十字病院の患者番号 00012345"
Description: "紹介の例に共通の架空の患者。JP Core と同じ患者 ID (urn:oid:1.2.392.100495.20.3.51.1 + 医療機関コード 1010112611)。"
* identifier.system = "urn:oid:1.2.392.100495.20.3.51.11010112611"
* identifier.value = "00012345"
* name[0].use = #official
* name[0].text = "難病 太郎"
* name[0].family = "難病"
* name[0].given = "太郎"
* name[1].use = #official
* name[1].text = "ナンビョウ タロウ"
* name[1].family = "ナンビョウ"
* name[1].given = "タロウ"
* gender = #male
* birthDate = "1968-04-12"
* address.text = "群馬県前橋市"
* address.state = "群馬県"
* address.city = "前橋市"
* address.country = "JP"
