Extension: NanbyoEligibleDisease
Id: nanbyo-eligible-disease
Title: "対象疾病 (Eligible disease)"
Description: """
このサービスが対象とする疾病。指定難病 (告示番号) を使う。移行期医療などで小児慢性特定疾病を対象とするときは
nanbyo-shoman-disease のコードを使ってよい (extensible)。
A disease the service is for: a 指定難病 (designated intractable disease) by its notification number, or, for
transition care, a 小児慢性特定疾病 (pediatric chronic specified disease) code. Searchable as `eligible-disease`.
"""
Context: HealthcareService
* insert ConformanceMetadata
* . ^short = "対象疾病 (eligible disease)"
* value[x] 1..1
* value[x] only CodeableConcept
* valueCodeableConcept from NanbyoShiteiNanbyo (extensible)
