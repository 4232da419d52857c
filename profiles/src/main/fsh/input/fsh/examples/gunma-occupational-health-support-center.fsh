Instance: gunma-occupational-health-support-center
InstanceOf: NanbyoOrganization
Usage: #example
Title: "群馬産業保健総合支援センター (Gunma occupational health support center)"
Description: "治療と就労の両立を支援する協力機関。共通の組織プロファイル (NanbyoOrganization) だけに従う例。"
* name = "群馬産業保健総合支援センター"
* type = NanbyoOrganizationType#support-center "支援センター"
* extension[prefecture].valueCoding = $jp-prefecture-no#10 "群馬県"
