Profile: NanbyoPatient
Parent: Patient
Id: nanbyo-patient
Title: "患者 (Nanbyo Patient)"
Description: """
紹介の対象となる患者。JP Core (JP_Patient) と同じ患者 ID を少なくとも 1 つ持つ: system は
urn:oid:1.2.392.100495.20.3.51.1 に医療機関コード 10 桁を続けたもの、value はその医療機関の患者番号。
JP Core の package はここでは使えないため、JP_Patient を親にせず規則を写している (docs/conformance.md)。
A patient of a referral, identified as in JP Core's JP_Patient: at least one patient id whose system is
urn:oid:1.2.392.100495.20.3.51.1 followed by the 10-digit 医療機関コード of the institution that issued it.
JP Core's rules are mirrored, not derived (its package cannot be installed here).
"""
* insert ConformanceMetadata
* obeys nanbyo-pat-1
* identifier 1..* MS
* identifier ^short = "患者 ID (JP Core: urn:oid:1.2.392.100495.20.3.51.1 + 医療機関コード 10 桁)"
* identifier.system 1..1
* identifier.value 1..1
* name 1..* MS
* name ^short = "氏名 (漢字・カナ; JP Core の iso21090-EN-representation を使ってよい)"
* gender 1..1 MS
* birthDate 1..1 MS
* address MS

Invariant: nanbyo-pat-1
Description: "JP Core の患者 ID (system = urn:oid:1.2.392.100495.20.3.51.1 + 医療機関コード 10 桁) を少なくとも 1 つ持つ。A patient carries at least one JP Core patient id (system urn:oid:1.2.392.100495.20.3.51.1 followed by a 10-digit 医療機関コード)."
Expression: "identifier.where(system.matches('^urn:oid:1[.]2[.]392[.]100495[.]20[.]3[.]51[.]1[0-9]{10}$') and value.exists()).exists()"
Severity: #error
