Instance: nanbyo-location-prefecture
InstanceOf: SearchParameter
Usage: #definition
Title: "Location: 都道府県で検索 (prefecture)"
* insert SearchParameterMetadata
* name = "NanbyoLocationPrefecture"
* description = "都道府県 (拡張 nanbyo-prefecture, 都道府県番号 2 桁) で所在地・管轄区域を検索する。例: prefecture=10 (群馬県). Locations by prefecture."
* code = #prefecture
* base = #Location
* expression = "Location.extension('http://nanbyo.jp/fhir/StructureDefinition/nanbyo-prefecture').value.ofType(Coding)"
