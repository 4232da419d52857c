Instance: referral-letter-als
InstanceOf: NanbyoReferralDocument
Usage: #example
Title: "診療情報提供書 (JP-CLINS の形): 前橋赤十字病院 → 群馬大学医学部附属病院"
Description: "紹介 (referral-als-to-gunma-university-hospital) に添える文書 Bundle。最初の entry が Composition (57133-1)。"
* identifier.system = "https://fhir.example.jp/maebashi-red-cross-hospital/sid/document-id"
* identifier.value = "MRC-DOC-2025-0001"
* type = #document
* timestamp = "2025-10-01T09:20:00+09:00"
* entry[0].fullUrl = "urn:uuid:0b7e1a52-3c8e-4d57-9a39-6f1b2f0c1001"
* entry[0].resource = referral-letter-als-composition
* entry[1].fullUrl = "urn:uuid:0b7e1a52-3c8e-4d57-9a39-6f1b2f0c1002"
* entry[1].resource = referral-letter-als-patient
* entry[2].fullUrl = "urn:uuid:0b7e1a52-3c8e-4d57-9a39-6f1b2f0c1003"
* entry[2].resource = referral-letter-als-author

Instance: referral-letter-als-composition
InstanceOf: Composition
Usage: #inline
* status = #final
* type = http://loinc.org#57133-1 "Referral note"
* type.text = "診療情報提供書"
* subject.reference = "urn:uuid:0b7e1a52-3c8e-4d57-9a39-6f1b2f0c1002"
* date = "2025-10-01T09:20:00+09:00"
* author.reference = "urn:uuid:0b7e1a52-3c8e-4d57-9a39-6f1b2f0c1003"
* title = "診療情報提供書"
* section[0].title = "紹介目的"
* section[0].text.status = #generated
* section[0].text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\">確定診断と遺伝学的検査の適応についての御高診</div>"
* section[1].title = "現病歴"
* section[1].text.status = #generated
* section[1].text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\">1 年前から進行する右上肢の筋力低下と線維束性収縮。</div>"

Instance: referral-letter-als-patient
InstanceOf: Patient
Usage: #inline
* identifier.system = "urn:oid:1.2.392.100495.20.3.51.11010112611"
* identifier.value = "00012345"
* name.text = "難病 太郎"
* gender = #male
* birthDate = "1968-04-12"

Instance: referral-letter-als-author
InstanceOf: Organization
Usage: #inline
* identifier.system = $medical-institution-code
* identifier.value = "1010112611"
* name = "前橋赤十字病院"
