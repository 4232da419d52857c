Profile: NanbyoJurisdictionLocation
Parent: Location
Id: nanbyo-jurisdiction-location
Title: "管轄区域 (Nanbyo Jurisdiction Location)"
Description: """
都道府県・三次医療圏・二次医療圏・市区町村などの区域 (mode kind, physicalType jdn)。区域の階層は type の
nanbyo-jurisdiction-level で示し、都道府県以外は partOf で上位の区域につなぐ。すべての区域は都道府県番号
(拡張 nanbyo-prefecture) を持ち、二次医療圏は 4 桁の二次医療圏コード (nanbyo-secondary-medical-area) を
identifier に持つ。サービスの coverageArea、指定の location (担当区域) に使う。
An area (prefecture, tertiary or secondary medical area, municipality): mode kind, physicalType jdn, its
level as a nanbyo-jurisdiction-level type coding, chained by partOf up to the prefecture. Every area carries
its prefecture number; a secondary medical area also carries its 4-digit code as an identifier.
"""
* insert ConformanceMetadata
* obeys nanbyo-jur-1 and nanbyo-jur-2 and nanbyo-jur-4
* status 1..1 MS
* name 1..1 MS
* mode 1..1 MS
* mode = #kind
* physicalType 1..1 MS
* physicalType = $location-physical-type#jdn
* type 1..* MS
* type ^slicing.discriminator.type = #value
* type ^slicing.discriminator.path = "$this"
* type ^slicing.rules = #open
* type ^slicing.description = "区域の階層 (nanbyo-jurisdiction-level) のコードを持つ type が 1 つ; one type carries the level"
* type contains level 1..1 MS
* type[level] ^short = "区域の階層 (prefecture | tertiary-area | secondary-area | municipality)"
* type[level] from NanbyoJurisdictionLevel (required)
* extension contains NanbyoPrefecture named prefecture 1..1 MS
* extension[prefecture] ^short = "区域が属する都道府県 (prefecture of the area)"
* identifier MS
* identifier ^slicing.discriminator.type = #value
* identifier ^slicing.discriminator.path = "system"
* identifier ^slicing.rules = #open
* identifier ^slicing.description = "区域コードの体系 (system) で区別; sliced by system"
* identifier contains secondaryMedicalArea 0..1 MS
* identifier[secondaryMedicalArea] ^short = "二次医療圏コード (4 桁: 都道府県番号 2 + 連番 2)"
* identifier[secondaryMedicalArea].system 1..1
* identifier[secondaryMedicalArea].system = $nanbyo-secondary-medical-area (exactly)
* identifier[secondaryMedicalArea].value 1..1
* identifier[secondaryMedicalArea].value obeys nanbyo-jur-3
* partOf MS
* partOf only Reference(NanbyoJurisdictionLocation)
* partOf ^short = "上位の区域 (the enclosing area; required except for a prefecture)"

Invariant: nanbyo-jur-1
Description: "都道府県以外の区域は上位の区域 (partOf) を持つ。Every area except a prefecture is partOf its enclosing area."
Expression: "partOf.exists() or type.coding.where(system = 'http://nanbyo.jp/fhir/CodeSystem/nanbyo-jurisdiction-level' and code = 'prefecture').exists()"
Severity: #error

Invariant: nanbyo-jur-2
Description: "二次医療圏は二次医療圏コード (identifier, system nanbyo-secondary-medical-area) を持つ。A secondary medical area carries its secondary-medical-area code as an identifier."
Expression: "type.coding.where(system = 'http://nanbyo.jp/fhir/CodeSystem/nanbyo-jurisdiction-level' and code = 'secondary-area').empty() or identifier.where(system = 'http://nanbyo.jp/fhir/CodeSystem/nanbyo-secondary-medical-area').exists()"
Severity: #error

Invariant: nanbyo-jur-3
Description: "二次医療圏コードは 4 桁: 都道府県番号 01〜47 + 2 桁。A secondary-medical-area code is 4 digits: prefecture 01-47, then 2 digits."
Expression: "matches('^(0[1-9]|[1-3][0-9]|4[0-7])[0-9]{2}$')"
Severity: #error

Invariant: nanbyo-jur-4
Description: "二次医療圏コードの先頭 2 桁は区域の都道府県番号と一致する。The first two digits of a secondary-medical-area code are the area's prefecture number."
Expression: "identifier.where(system = 'http://nanbyo.jp/fhir/CodeSystem/nanbyo-secondary-medical-area').empty() or identifier.where(system = 'http://nanbyo.jp/fhir/CodeSystem/nanbyo-secondary-medical-area').first().value.substring(0, 2) = extension.where(url = 'http://nanbyo.jp/fhir/StructureDefinition/nanbyo-prefecture').first().value.code"
Severity: #error
