Profile: NanbyoOrganization
Parent: Organization
Id: nanbyo-organization
Title: "難病医療提供体制の組織 (Nanbyo Organization)"
Description: """
難病医療提供体制に参加するすべての組織 (医療機関、都道府県、都道府県の難病医療提供体制、協議会、支援センター、保健所、
国の機関・全国組織) に共通の規則。組織の種別は nanbyo-organization-type から 1 つ選ぶ。識別子の system は JP Core の
URL 形式で保存する (OID 形式 urn:oid:1.2.392.100495.20.3.* は受信時に正規化する)。
Common rules of every organization in the rare-disease care network: a name, exactly one kind from
nanbyo-organization-type, identifiers with JP Core's URL-form systems (OID forms are normalised on input).
"""
* insert ConformanceMetadata
* identifier MS
* identifier ^short = "識別子 (system は URL 形式; identifiers, URL-form systems)"
* identifier.system 1..1
* identifier obeys nanbyo-org-1
* identifier.value 1..1
* name 1..1 MS
* name ^short = "正式名称 (official name)"
* type 1..1 MS
* type from NanbyoOrganizationType (required)
* type ^short = "組織の種別 (kind of organization)"
* extension contains NanbyoPrefecture named prefecture 0..1 MS
* extension[prefecture] ^short = "所在する都道府県 (prefecture)"
* partOf only Reference(NanbyoOrganization)
* endpoint only Reference(NanbyoEndpoint)

Invariant: nanbyo-org-1
Description: "識別子の system は JP Core の URL 形式で保存する (OID 形式 urn:oid:1.2.392.100495.20.3.* は不可)。Identifier systems are stored in JP Core's URL form, never as OIDs urn:oid:1.2.392.100495.20.3.*."
Expression: "system.empty() or system.startsWith('urn:oid:1.2.392.100495.20.3.').not()"
Severity: #error
