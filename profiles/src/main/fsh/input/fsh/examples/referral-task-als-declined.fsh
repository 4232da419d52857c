Instance: referral-task-als-declined
InstanceOf: NanbyoReferralTask
Usage: #example
Title: "紹介の処理: 辞退、理由あり (declined with a reason)"
Description: "紹介を辞退した状態。辞退には理由 (statusReason) が必要 (nanbyo-task-1)。"
* status = #rejected
* businessStatus = NanbyoReferralBusinessStatus#declined
* statusReason.text = "当院では対応できない検査のため、IRUD への問い合わせを推奨します。"
* intent = #order
* code = $task-code#fulfill "Fulfill the focal request"
* focus = Reference(referral-als-to-gunma-university-hospital)
* for = Reference(Patient/example-patient)
* authoredOn = "2025-10-01T09:35:00+09:00"
* requester = Reference(maebashi-red-cross-hospital) "前橋赤十字病院"
* owner = Reference(gunma-university-hospital) "群馬大学医学部附属病院"
