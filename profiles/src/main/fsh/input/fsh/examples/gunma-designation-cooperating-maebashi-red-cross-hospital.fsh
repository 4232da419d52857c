Instance: gunma-designation-cooperating-maebashi-red-cross-hospital
InstanceOf: NanbyoDesignation
Usage: #example
Title: "指定: 前橋赤十字病院 — 難病医療協力病院 2025-07-01〜2027-03-31"
Description: "群馬県による難病医療協力病院の指定。期間は拠点病院の指定と同時に終わるよう 3 か月短い (令和7年7月1日〜令和9年3月31日)。担当区域は二次医療圏 前橋。"
* active = true
* organization = Reference(gunma-nanbyo-network) "群馬県難病医療提供体制"
* participatingOrganization = Reference(maebashi-red-cross-hospital) "前橋赤十字病院"
* code = NanbyoDesignationRole#cooperating-hospital "難病医療協力病院"
* period.start = "2025-07-01"
* period.end = "2027-03-31"
* location = Reference(gunma-maebashi-area) "前橋"
