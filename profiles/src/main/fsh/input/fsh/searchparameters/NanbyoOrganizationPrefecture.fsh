Instance: nanbyo-organization-prefecture
InstanceOf: SearchParameter
Usage: #definition
Title: "Organization: 都道府県で検索 (prefecture)"
* insert SearchParameterMetadata
* name = "NanbyoOrganizationPrefecture"
* description = "都道府県 (拡張 nanbyo-prefecture, 都道府県番号 2 桁) で組織を検索する。例: prefecture=10 (群馬県). Organizations by prefecture."
* code = #prefecture
* base = #Organization
* expression = "Organization.extension('http://nanbyo.jp/fhir/StructureDefinition/nanbyo-prefecture').value.ofType(Coding)"
