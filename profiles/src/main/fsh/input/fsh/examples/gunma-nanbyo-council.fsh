Instance: gunma-nanbyo-council
InstanceOf: NanbyoCouncil
Usage: #example
Title: "群馬県難病医療連絡協議会 (Gunma's rare-disease medical liaison council)"
Description: "群馬県が設置する難病医療連絡協議会 (令和6年度の会議は2025-03-18)。"
* name = "群馬県難病医療連絡協議会"
* type = NanbyoOrganizationType#council "協議会"
* extension[prefecture].valueCoding = $jp-prefecture-no#10 "群馬県"
* partOf = Reference(gunma-prefecture) "群馬県"
