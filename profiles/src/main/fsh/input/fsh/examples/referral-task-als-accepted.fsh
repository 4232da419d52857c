Instance: referral-task-als-accepted
InstanceOf: NanbyoReferralTask
Usage: #example
Title: "紹介の処理: 受諾 (accepted)"
Description: "群馬大学医学部附属病院が紹介を受諾し、外来予約を調整している状態。"
* status = #accepted
* businessStatus = NanbyoReferralBusinessStatus#accepted
* intent = #order
* code = $task-code#fulfill "Fulfill the focal request"
* focus = Reference(referral-als-to-gunma-university-hospital)
* for = Reference(Patient/example-patient)
* authoredOn = "2025-10-01T09:35:00+09:00"
* lastModified = "2025-10-02T14:00:00+09:00"
* requester = Reference(maebashi-red-cross-hospital) "前橋赤十字病院"
* owner = Reference(gunma-university-hospital) "群馬大学医学部附属病院"
