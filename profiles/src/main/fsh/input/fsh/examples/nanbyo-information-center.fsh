Instance: nanbyo-information-center
InstanceOf: NanbyoNationalBody
Usage: #example
Title: "難病情報センター (Japan Intractable Diseases Information Center)"
Description: "患者・医療者に難病の情報を提供する全国組織。"
* name = "難病情報センター"
* alias = "Japan Intractable Diseases Information Center"
* type = NanbyoOrganizationType#national-body "国の機関・全国組織"
* telecom.system = #url
* telecom.value = "https://www.nanbyou.or.jp/"
