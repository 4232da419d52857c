Extension: NanbyoAcceptingReferrals
Id: nanbyo-accepting-referrals
Title: "紹介受入可否 (Accepting referrals)"
Description: """
このサービスが現在、新たな紹介を受け入れているか (Da Vinci Plan-Net の newpatients に相当)。
Whether the service currently accepts new referrals (cf. Da Vinci Plan-Net's new-patients extension).
Searchable as `accepting-referrals`.
"""
Context: HealthcareService
* insert ConformanceMetadata
* . ^short = "紹介受入可否 (accepting referrals)"
* value[x] 1..1
* value[x] only boolean
