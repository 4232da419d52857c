Profile: NanbyoReferral
Parent: ServiceRequest
Id: nanbyo-referral
Title: "紹介・依頼 (Nanbyo Referral)"
Description: """
紹介 (紹介・逆紹介)、遺伝学的検査の依頼、難病医療支援ネットワークへの問い合わせ、移行期医療の紹介、IRUD への紹介。
理由として指定難病 (reasonCode) または所見 (reasonReference: HPO による表現型などの Observation) を必ず示す。
診療情報提供書 (JP-CLINS の文書 Bundle) は supportingInfo で添える。処理の進み具合は NanbyoReferralTask が持つ。
IRUD などへのエスカレーションは basedOn で元の紹介を指す新しい紹介とし、紹介をそのまま転送しない。
A referral, back-referral, genetic test request, national-network inquiry, transition referral or IRUD
referral. It gives a reason (a 指定難病 or observations such as HPO phenotypes); the referral letter
(JP-CLINS document) goes in supportingInfo; the workflow state lives in a NanbyoReferralTask.
"""
* insert ConformanceMetadata
* obeys nanbyo-ref-1 and nanbyo-ref-2
* extension contains NanbyoTransitionCare named transitionCare 0..1 MS
* extension[transitionCare] ^short = "移行期医療: 両診療科と移行期医療支援センター (transition care: both departments, support center)"
* identifier MS
* identifier ^short = "紹介元・紹介先の番号 (placer / filler identifiers)"
* basedOn only Reference(NanbyoReferral)
* basedOn ^short = "元の紹介: エスカレーション・逆紹介 (the referral this one escalates or answers)"
* status MS
* intent = #order
* intent MS
* category 1..1 MS
* category from NanbyoReferralCategory (required)
* category ^short = "紹介の区分 (kind of referral)"
* code MS
* code from NanbyoServiceType (extensible)
* code ^short = "依頼するサービス (service requested)"
* subject 1..1 MS
* subject only Reference(Patient)
* subject ^short = "患者 (NanbyoPatient)"
* authoredOn 1..1 MS
* requester 1..1 MS
* requester only Reference(Organization or Practitioner or PractitionerRole)
* requester ^short = "紹介元 (referring organization or clinician)"
* performer 1..* MS
* performer only Reference(Organization or PractitionerRole or Practitioner or HealthcareService)
* performer ^short = "紹介先 (referred-to organization, clinician or service)"
* reasonCode MS
* reasonCode from NanbyoShiteiNanbyo (extensible)
* reasonCode ^short = "紹介理由の疾病 (指定難病; suspected or confirmed disease)"
* reasonReference MS
* reasonReference only Reference(Observation)
* reasonReference ^short = "紹介理由の所見 (HPO phenotypes etc.)"
* supportingInfo MS
* supportingInfo ^short = "診療情報提供書 (JP-CLINS), 検査結果など (referral letter, results)"

Invariant: nanbyo-ref-1
Description: "紹介理由 (指定難病 reasonCode または所見 reasonReference) を少なくとも 1 つ示す。A referral gives at least one reason: a disease (reasonCode) or an observation (reasonReference)."
Expression: "reasonCode.exists() or reasonReference.exists()"
Severity: #error

Invariant: nanbyo-ref-2
Description: "移行期医療の紹介 (transition-referral) は両方の診療科を拡張 nanbyo-transition-care で示す。A transition referral names both departments in the nanbyo-transition-care extension."
Expression: "category.coding.where(system = 'http://nanbyo.jp/fhir/CodeSystem/nanbyo-referral-category' and code = 'transition-referral').empty() or extension.where(url = 'http://nanbyo.jp/fhir/StructureDefinition/nanbyo-transition-care').exists()"
Severity: #error
