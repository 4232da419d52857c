Instance: gunma-university-hospital-neuromuscular-diagnosis
InstanceOf: NanbyoHealthcareService
Usage: #example
Title: "群馬大学医学部附属病院: 神経・筋疾患の診断 (neuromuscular diagnosis)"
Description: "難病診療連携拠点病院による神経・筋疾患の診断。群馬県全域から紹介を受け入れる (例示)。"
* active = true
* providedBy = Reference(gunma-university-hospital) "群馬大学医学部附属病院"
* name = "神経・筋疾患の診断"
* type = NanbyoServiceType#diagnosis
* specialty = NanbyoDiseaseField#neuromuscular
* location = Reference(gunma-university-hospital-site)
* coverageArea = Reference(gunma-prefecture-area) "群馬県"
* extension[eligibleDisease][0].valueCodeableConcept = NanbyoShiteiNanbyo#1 "球脊髄性筋萎縮症"
* extension[eligibleDisease][1].valueCodeableConcept = NanbyoShiteiNanbyo#2 "筋萎縮性側索硬化症"
* extension[eligibleDisease][2].valueCodeableConcept = NanbyoShiteiNanbyo#3 "脊髄性筋萎縮症"
* extension[acceptingReferrals].valueBoolean = true
* extension[deliveryMethod].valueCode = #in-person
* endpoint = Reference(gunma-university-hospital-fhir-endpoint)
