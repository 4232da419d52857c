Profile: NanbyoHealthcareService
Parent: HealthcareService
Id: nanbyo-healthcare-service
Title: "提供サービス (Nanbyo Healthcare Service)"
Description: """
医療機関・支援センターなどが提供するサービス: 診断、遺伝学的検査、遺伝カウンセリング、移行期医療、レスパイト入院、
長期入院療養、相談、教育・研修など (nanbyo-service-type)。対象疾病 (指定難病)、紹介受入可否、提供方法 (対面・オンライン)、
対象区域 (coverageArea) で検索できる。
A service offered in the network (diagnosis, genetic testing and counselling, transition care, respite
admission, long-term inpatient care, consultation, training, …), searchable by eligible disease, accepting
referrals, delivery method and coverage area.
"""
* insert ConformanceMetadata
* extension contains
    NanbyoEligibleDisease named eligibleDisease 0..* MS and
    NanbyoAcceptingReferrals named acceptingReferrals 0..1 MS and
    NanbyoDeliveryMethod named deliveryMethod 0..* MS
* extension[eligibleDisease] ^short = "対象疾病 (指定難病; eligible diseases)"
* extension[acceptingReferrals] ^short = "紹介受入可否 (accepting new referrals)"
* extension[deliveryMethod] ^short = "提供方法 (in-person | online)"
* active 1..1 MS
* providedBy 1..1 MS
* providedBy only Reference(NanbyoOrganization)
* providedBy ^short = "提供する組織 (provided by)"
* type 1..* MS
* type from NanbyoServiceType (required)
* type ^short = "サービスの種類 (kind of service)"
* specialty MS
* specialty from NanbyoDiseaseField (extensible)
* specialty ^short = "疾患群・専門分野 (disease field)"
* location MS
* location only Reference(NanbyoFacilityLocation)
* name 1..1 MS
* coverageArea MS
* coverageArea only Reference(NanbyoJurisdictionLocation)
* coverageArea ^short = "対象区域 (areas served)"
* endpoint only Reference(NanbyoEndpoint)
