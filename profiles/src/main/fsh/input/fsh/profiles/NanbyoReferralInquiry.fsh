Profile: NanbyoReferralInquiry
Parent: Communication
Id: nanbyo-referral-inquiry
Title: "紹介に関する問い合わせ (Nanbyo Referral Inquiry)"
Description: """
紹介 (NanbyoReferral) またはその処理 (NanbyoReferralTask) についての医療機関間の問い合わせと回答。
about で紹介を指し、回答は inResponseTo で問い合わせを指す: 問い合わせのスレッドは
Communication?about=ServiceRequest/<id>&_sort=sent で読める。
An inquiry between institutions about a referral (about = the ServiceRequest or its Task), and its answers
(inResponseTo = the message answered): a thread is `Communication?about=ServiceRequest/<id>&_sort=sent`.
"""
* insert ConformanceMetadata
* status MS
* subject MS
* subject only Reference(Patient)
* about 1..* MS
* about only Reference(NanbyoReferral or NanbyoReferralTask)
* about ^short = "問い合わせの対象の紹介 (the referral asked about)"
* inResponseTo MS
* inResponseTo only Reference(NanbyoReferralInquiry)
* inResponseTo ^short = "回答する問い合わせ (the message this one answers)"
* sent 1..1 MS
* sender 1..1 MS
* sender only Reference(Organization or Practitioner or PractitionerRole)
* sender ^short = "送信元 (sending organization or clinician)"
* recipient 1..* MS
* recipient only Reference(Organization or Practitioner or PractitionerRole)
* recipient ^short = "宛先 (receiving organization or clinician)"
* payload 1..* MS
* payload ^short = "問い合わせ・回答の本文 (the question or answer)"
