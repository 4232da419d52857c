Profile: NanbyoReferralTask
Parent: Task
Id: nanbyo-referral-task
Title: "紹介の処理 (Nanbyo Referral Task)"
Description: """
紹介 (NanbyoReferral) の処理状況 (HL7 BSeR / FHIR Workflow)。code は fulfill、focus は紹介。status と
businessStatus (受付・受諾・辞退・予約・対応中・完了・取消) が状態遷移し、辞退 (rejected) と取消 (cancelled) には
理由 (statusReason) が必須。返書などのフィードバックは output に入れる。
The workflow of a referral (HL7 BSeR / FHIR Workflow): code fulfill, focus the referral; status and
businessStatus move through the state machine; declining or cancelling needs a statusReason; feedback (返書)
is Task output.
"""
* insert ConformanceMetadata
* obeys nanbyo-task-1 and nanbyo-task-2
* identifier MS
* basedOn MS
* status MS
* statusReason MS
* statusReason ^short = "辞退・取消の理由 (required when rejected or cancelled)"
* businessStatus MS
* businessStatus from NanbyoReferralBusinessStatus (required)
* businessStatus ^short = "業務上の状態 (received | accepted | declined | scheduled | in-progress | completed | cancelled; 外部への送達: delivery-pending | delivered | delivery-failed)"
* intent = #order
* code 1..1 MS
* code = $task-code#fulfill
* focus 1..1 MS
* focus only Reference(NanbyoReferral)
* focus ^short = "処理する紹介 (the referral)"
* for MS
* for only Reference(Patient)
* authoredOn 1..1 MS
* lastModified MS
* requester 1..1 MS
* requester only Reference(Organization or Practitioner or PractitionerRole)
* requester ^short = "紹介元 (who asks)"
* owner 1..1 MS
* owner only Reference(Organization)
* owner ^short = "紹介先 (who is to fulfil)"
* output MS
* output ^short = "返書などのフィードバック (feedback such as the reply letter)"

Invariant: nanbyo-task-1
Description: "辞退 (rejected) または取消 (cancelled) には理由 (statusReason) が必要。Declining (rejected) or cancelling a referral needs a statusReason."
Expression: "(status = 'rejected' or status = 'cancelled') implies statusReason.exists()"
Severity: #error

Invariant: nanbyo-task-2
Description: "businessStatus が辞退 (declined) なら status は rejected。A declined businessStatus goes with status rejected."
Expression: "businessStatus.coding.where(system = 'http://nanbyo.jp/fhir/CodeSystem/nanbyo-referral-business-status' and code = 'declined').empty() or status = 'rejected'"
Severity: #error
