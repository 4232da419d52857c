Instance: referral-task-als-completed
InstanceOf: NanbyoReferralTask
Usage: #example
Title: "紹介の処理: 完了、返書あり (completed with feedback)"
Description: "診察を終え、紹介元へ返書 (output) を返した状態。"
* status = #completed
* businessStatus = NanbyoReferralBusinessStatus#completed
* intent = #order
* code = $task-code#fulfill "Fulfill the focal request"
* focus = Reference(referral-als-to-gunma-university-hospital)
* for = Reference(Patient/example-patient)
* authoredOn = "2025-10-01T09:35:00+09:00"
* lastModified = "2025-11-05T17:00:00+09:00"
* requester = Reference(maebashi-red-cross-hospital) "前橋赤十字病院"
* owner = Reference(gunma-university-hospital) "群馬大学医学部附属病院"
* output.type.text = "返書 (reply to the referring hospital)"
* output.valueReference = Reference(DocumentReference/example-reply-letter)
