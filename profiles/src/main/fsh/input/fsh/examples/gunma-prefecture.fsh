Instance: gunma-prefecture
InstanceOf: NanbyoPrefectureGovernment
Usage: #example
Title: "群馬県 (Gunma prefecture government)"
Description: "群馬県。難病診療連携拠点病院・難病医療協力病院を指定する。"
* name = "群馬県"
* type = NanbyoOrganizationType#prefecture-government "都道府県"
* extension[prefecture].valueCoding = $jp-prefecture-no#10 "群馬県"
* address.text = "群馬県前橋市大手町1-1-1"
* address.state = "群馬県"
* address.city = "前橋市"
* address.line = "大手町1-1-1"
* address.postalCode = "371-8570"
* address.country = "JP"
