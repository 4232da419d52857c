Instance: gunma-nanbyo-network
InstanceOf: NanbyoPrefectureNetwork
Usage: #example
Title: "群馬県難病医療提供体制 (Gunma's rare-disease care network)"
Description: "群馬県の難病医療提供体制。群馬県によるすべての指定の organization 側。"
* name = "群馬県難病医療提供体制"
* type = NanbyoOrganizationType#prefecture-network "都道府県難病医療提供体制"
* extension[prefecture].valueCoding = $jp-prefecture-no#10 "群馬県"
* partOf = Reference(gunma-prefecture) "群馬県"
