Extension: NanbyoTransitionCare
Id: nanbyo-transition-care
Title: "移行期医療 (Transition care)"
Description: """
移行期医療の紹介 (小児診療科 → 成人診療科) で、移す側と受ける側の診療科、および都道府県に移行期医療支援センターが
あればそのセンター。センターが指定されている都道府県では、サーバーはその指定を確かめる (docs/referrals.md)。
A transition-care referral (pediatric → adult care): the pediatric department handing over, the adult department
taking over, and, where the prefecture has one, its 移行期医療支援センター (the server checks the designation).
"""
Context: ServiceRequest
* insert ConformanceMetadata
* . ^short = "移行期医療 (transition care)"
* extension contains
    pediatricDepartment 1..1 MS and
    adultDepartment 1..1 MS and
    supportCenter 0..1 MS
* extension[pediatricDepartment] ^short = "移す側の小児診療科 (pediatric department handing over)"
* extension[pediatricDepartment].value[x] 1..1
* extension[pediatricDepartment].value[x] only CodeableConcept
* extension[adultDepartment] ^short = "受ける側の成人診療科 (adult department taking over)"
* extension[adultDepartment].value[x] 1..1
* extension[adultDepartment].value[x] only CodeableConcept
* extension[supportCenter] ^short = "都道府県の移行期医療支援センター (the prefecture's transition-care support center)"
* extension[supportCenter].value[x] 1..1
* extension[supportCenter].value[x] only Reference(Organization)
