Instance: gunma-shibukawa-public-health-center
InstanceOf: NanbyoPublicHealthCenter
Usage: #example
Title: "群馬県渋川保健福祉事務所 (Shibukawa public health center)"
Description: "群馬県立の保健所 (群馬県では保健福祉事務所)。二次医療圏 渋川を担当する。"
* name = "群馬県渋川保健福祉事務所"
* alias = "渋川保健所"
* type = NanbyoOrganizationType#public-health-center "保健所"
* extension[prefecture].valueCoding = $jp-prefecture-no#10 "群馬県"
* partOf = Reference(gunma-prefecture) "群馬県"
