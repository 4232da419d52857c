Extension: NanbyoMatchReason
Id: nanbyo-match-reason
Title: "候補の理由 (Match reason)"
Description: """
ケアファインダー ($find-care) が候補 (Bundle.entry) を挙げた理由。順位付けの規則ごとに 1 つ (nanbyo-care-finder-reason)。
text にはその根拠 (指定・サービスの名前、区域) と加点を日本語で記す。
Why the care finder ($find-care) proposes a candidate: one per ranking rule that applied
(nanbyo-care-finder-reason), with the evidence and points in text.
"""
Context: Bundle.entry.search
* insert ConformanceMetadata
* . ^short = "候補の理由 (why this candidate)"
* value[x] 1..1
* value[x] only CodeableConcept
* valueCodeableConcept from NanbyoCareFinderReason (required)
* valueCodeableConcept.coding 1..1
* valueCodeableConcept.text 1..1
