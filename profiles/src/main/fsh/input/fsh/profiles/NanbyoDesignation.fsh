Profile: NanbyoDesignation
Parent: OrganizationAffiliation
Id: nanbyo-designation
Title: "指定 (Nanbyo Designation)"
Description: """
都道府県による医療機関などの指定 (難病診療連携拠点病院、難病診療分野別拠点病院、難病医療協力病院、移行期医療支援センターなど)。
organization は都道府県の難病医療提供体制、participatingOrganization は指定された医療機関 (または支援センター)、
code は指定区分、specialty は分野 (分野別拠点病院では必須)、period は指定期間、location は担当区域。
指定が終わっても削除せず active=false と period.end を残す (履歴を失わない)。
A prefecture's designation of a hospital (or support center) in a role, for a period, for areas; ended
designations are kept with active=false and period.end, never deleted.
"""
* insert ConformanceMetadata
* obeys nanbyo-des-1 and nanbyo-des-3
* identifier MS
* identifier ^short = "都道府県が付した指定番号など (designation number, if any)"
* active 1..1 MS
* active ^short = "指定が有効か (false: 終了した指定; ended designations stay, inactive)"
* period 1..1 MS
* period ^short = "指定期間 (designation period)"
* period obeys nanbyo-des-2
* period.start 1..1 MS
* period.end MS
* organization 1..1 MS
* organization only Reference(NanbyoPrefectureNetwork)
* organization ^short = "指定した都道府県の難病医療提供体制 (the prefecture's network)"
* participatingOrganization 1..1 MS
* participatingOrganization only Reference(NanbyoHospital or NanbyoSupportCenter)
* participatingOrganization ^short = "指定された医療機関または支援センター (the designated hospital or center)"
* code 1..1 MS
* code from NanbyoDesignationRole (required)
* code ^short = "指定区分 (designation role)"
* specialty MS
* specialty from NanbyoDiseaseField (required)
* specialty ^short = "分野 (disease field; required for a field-hub hospital)"
* location MS
* location only Reference(NanbyoJurisdictionLocation)
* location ^short = "担当区域 (areas served)"
* healthcareService only Reference(NanbyoHealthcareService)
* endpoint only Reference(NanbyoEndpoint)

Invariant: nanbyo-des-1
Description: "難病診療分野別拠点病院 (field-hub-hospital) の指定は分野 (specialty) を持つ。A field-hub-hospital designation names its disease field (specialty)."
Expression: "code.coding.where(system = 'http://nanbyo.jp/fhir/CodeSystem/nanbyo-designation-role' and code = 'field-hub-hospital').empty() or specialty.exists()"
Severity: #error

Invariant: nanbyo-des-2
Description: "指定期間の終了日は開始日以降。A designation period ends on or after its start."
Expression: "end.empty() or start.empty() or end >= start"
Severity: #error

Invariant: nanbyo-des-3
Description: "終了した指定 (active=false) は終了日 (period.end) を持つ。An inactive designation has an end date (period.end)."
Expression: "active.empty() or active or period.end.exists()"
Severity: #error
