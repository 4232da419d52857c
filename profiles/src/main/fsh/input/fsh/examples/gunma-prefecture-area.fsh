Instance: gunma-prefecture-area
InstanceOf: NanbyoJurisdictionLocation
Usage: #example
Title: "群馬県 (区域) (Gunma prefecture, as an area)"
Description: "管轄区域としての群馬県 (三次医療圏でもある)。二次医療圏はこの区域の一部 (partOf)。"
* status = #active
* name = "群馬県"
* mode = #kind
* physicalType = $location-physical-type#jdn "Jurisdiction"
* type[level] = NanbyoJurisdictionLevel#prefecture "都道府県"
* extension[prefecture].valueCoding = $jp-prefecture-no#10 "群馬県"
