Instance: gunma-designation-hub-gunma-university-hospital
InstanceOf: NanbyoDesignation
Usage: #example
Title: "指定: 群馬大学医学部附属病院 — 難病診療連携拠点病院 2025-04-01〜2027-03-31"
Description: "群馬県による難病診療連携拠点病院の指定 (令和7年4月1日〜令和9年3月31日)。担当区域は群馬県全域。"
* active = true
* organization = Reference(gunma-nanbyo-network) "群馬県難病医療提供体制"
* participatingOrganization = Reference(gunma-university-hospital) "群馬大学医学部附属病院"
* code = NanbyoDesignationRole#hub-hospital "難病診療連携拠点病院"
* period.start = "2025-04-01"
* period.end = "2027-03-31"
* location = Reference(gunma-prefecture-area) "群馬県"
* healthcareService = Reference(gunma-university-hospital-neuromuscular-diagnosis)
