Instance: gunma-maebashi-area
InstanceOf: NanbyoJurisdictionLocation
Usage: #example
Title: "二次医療圏 前橋 (Maebashi secondary medical area)"
Description: "群馬県の二次医療圏 前橋 (コード 1001, 前橋市)。"
* status = #active
* name = "前橋"
* mode = #kind
* physicalType = $location-physical-type#jdn "Jurisdiction"
* type[level] = NanbyoJurisdictionLevel#secondary-area "二次医療圏"
* extension[prefecture].valueCoding = $jp-prefecture-no#10 "群馬県"
* identifier[secondaryMedicalArea].value = "1001"
* partOf = Reference(gunma-prefecture-area) "群馬県"
