Instance: referral-transition-to-adult-neurology
InstanceOf: NanbyoReferral
Usage: #example
Title: "移行期医療の紹介: 小児科 → 脳神経内科 (群馬大学医学部附属病院の院内)"
Description: "小児慢性特定疾病の患者の成人診療科への移行。両方の診療科を nanbyo-transition-care で示す (群馬県には移行期医療支援センターがまだないため supportCenter はない)。"
* status = #active
* intent = #order
* category = NanbyoReferralCategory#transition-referral "移行期医療の紹介"
* code = NanbyoServiceType#transition-care
* subject = Reference(Patient/example-patient)
* authoredOn = "2025-11-10T10:00:00+09:00"
* requester = Reference(gunma-university-hospital) "群馬大学医学部附属病院"
* performer = Reference(gunma-university-hospital) "群馬大学医学部附属病院"
* reasonCode = NanbyoShiteiNanbyo#2 "筋萎縮性側索硬化症"
* extension[transitionCare].extension[pediatricDepartment].valueCodeableConcept.text = "小児科"
* extension[transitionCare].extension[adultDepartment].valueCodeableConcept.text = "脳神経内科"
* note.text = "18 歳を迎えるため、成人診療科での継続診療をお願いします。"
