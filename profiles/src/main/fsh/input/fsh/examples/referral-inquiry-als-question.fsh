Instance: referral-inquiry-als-question
InstanceOf: NanbyoReferralInquiry
Usage: #example
Title: "問い合わせ: 紹介先から紹介元へ、検査結果の確認"
Description: "群馬大学医学部附属病院が前橋赤十字病院に、紹介 (referral-als-to-gunma-university-hospital) について尋ねる。"
* status = #completed
* subject = Reference(Patient/example-patient)
* about = Reference(referral-als-to-gunma-university-hospital)
* sent = "2025-10-02T11:00:00+09:00"
* sender = Reference(gunma-university-hospital) "群馬大学医学部附属病院"
* recipient = Reference(maebashi-red-cross-hospital) "前橋赤十字病院"
* payload.contentString = "針筋電図の結果があれば、受診前にお送りいただけますか。"
