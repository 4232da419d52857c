Profile: NanbyoReferralDocument
Parent: Bundle
Id: nanbyo-referral-document
Title: "診療情報提供書 (Nanbyo Referral Document, JP-CLINS-shaped)"
Description: """
紹介に添える診療情報提供書。JP-CLINS の診療情報提供書と同じ形 (FHIR 文書 Bundle: type document、最初の entry が
Composition、文書種別 57133-1) の最小限の規則。JP-CLINS の package はここでは使えないため、その形だけを写している:
JP-CLINS の文書はこのプロファイルにも適合するが、その逆は保証しない。紹介 (NanbyoReferral) の supportingInfo から参照する。
A referral letter: the shape of JP-CLINS's 診療情報提供書 (a FHIR document Bundle whose first entry is a Composition
of type 57133-1 with a subject and at least one section), as a minimal profile of our own: JP-CLINS's package cannot
be installed here. A JP-CLINS document meets it; the converse is not claimed. Referenced from a referral's supportingInfo.
"""
* insert ConformanceMetadata
* obeys nanbyo-doc-1 and nanbyo-doc-2
* identifier 1..1 MS
* identifier ^short = "文書 ID (document identifier)"
* type = #document
* type MS
* timestamp 1..1 MS
* entry 1..* MS
* entry ^short = "最初は Composition、続いて患者・紹介元などの resource (the Composition first)"

Invariant: nanbyo-doc-1
Description: "最初の entry は文書種別 57133-1 (診療情報提供書; LOINC または JP-CLINS の doc-typecodes) の Composition。The first entry is a Composition of type 57133-1 (referral note; LOINC or JP-CLINS's doc-typecodes)."
Expression: "entry.first().resource.ofType(Composition).type.coding.where((system = 'http://loinc.org' or system = 'http://jpfhir.jp/fhir/Common/CodeSystem/doc-typecodes') and code = '57133-1').exists()"
Severity: #error

Invariant: nanbyo-doc-2
Description: "Composition は患者 (subject) と 1 つ以上の章 (section) を持つ。The Composition names its patient (subject) and has at least one section."
Expression: "entry.first().resource.ofType(Composition).where(subject.exists() and section.exists()).exists()"
Severity: #error
