Instance: referral-als-to-gunma-university-hospital
InstanceOf: NanbyoReferral
Usage: #example
Title: "紹介: 筋萎縮性側索硬化症 (指定難病 2) の疑い — 前橋赤十字病院 → 群馬大学医学部附属病院"
Description: "難病医療協力病院から難病診療連携拠点病院への診断目的の紹介 (患者は架空)。"
* identifier.system = "https://fhir.example.jp/maebashi-red-cross-hospital/sid/referral-number"
* identifier.value = "MRC-2025-0001"
* status = #active
* intent = #order
* category = NanbyoReferralCategory#referral "紹介"
* code = NanbyoServiceType#diagnosis
* subject = Reference(Patient/example-patient)
* authoredOn = "2025-10-01T09:30:00+09:00"
* requester = Reference(maebashi-red-cross-hospital) "前橋赤十字病院"
* performer = Reference(gunma-university-hospital) "群馬大学医学部附属病院"
* reasonCode = NanbyoShiteiNanbyo#2 "筋萎縮性側索硬化症"
* note.text = "進行性の筋力低下と線維束性収縮。確定診断と遺伝学的検査の適応について御高診をお願いします。"
* supportingInfo = Reference(Bundle/referral-letter-als) "診療情報提供書"
