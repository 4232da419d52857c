Instance: gunma-nanbyo-support-center
InstanceOf: NanbyoSupportCenter
Usage: #example
Title: "群馬県難病相談支援センター (Gunma rare-disease consultation and support center)"
Description: "群馬県の難病相談支援センター: 療養生活の相談、ピアサポーターの養成など。"
* name = "群馬県難病相談支援センター"
* type = NanbyoOrganizationType#support-center "支援センター"
* extension[prefecture].valueCoding = $jp-prefecture-no#10 "群馬県"
