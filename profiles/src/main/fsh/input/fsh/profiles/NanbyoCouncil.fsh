Profile: NanbyoCouncil
Parent: NanbyoOrganization
Id: nanbyo-council
Title: "協議会 (Nanbyo Council)"
Description: """
難病医療連絡協議会・難病対策地域協議会などの協議会。設置した都道府県 (partOf) の一部。
A council (e.g. 難病医療連絡協議会, the prefecture's rare-disease medical liaison council), part of the
prefecture government that set it up.
"""
* insert ConformanceMetadata
* type = NanbyoOrganizationType#council
* partOf 1..1 MS
* partOf only Reference(NanbyoPrefectureGovernment)
* partOf ^short = "設置した都道府県 (the prefecture government)"
