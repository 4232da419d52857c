Profile: NanbyoHospital
Parent: NanbyoOrganization
Id: nanbyo-hospital
Title: "医療機関 (Nanbyo Hospital)"
Description: """
病院・診療所。医療機関コード (10 桁: 都道府県番号 2 桁 + 点数表番号 1 桁 + 7 桁) を JP Core と同じ identifier
スライス medicalInstitutionCode (system http://jpfhir.jp/fhir/core/IdSystem/insurance-medical-institution-no)
に必ず 1 つ持つ。指定 (OrganizationAffiliation) の participatingOrganization になる。
A hospital or clinic, identified by its 10-digit 医療機関コード in JP Core's medicalInstitutionCode slice.
"""
* insert ConformanceMetadata
* obeys nanbyo-hosp-1 and nanbyo-hosp-3
* identifier 1..*
* identifier ^slicing.discriminator.type = #value
* identifier ^slicing.discriminator.path = "system"
* identifier ^slicing.rules = #open
* identifier ^slicing.description = "system で区別 (JP Core と同じ); sliced by system as in JP Core"
* identifier contains medicalInstitutionCode 1..1 MS
* identifier[medicalInstitutionCode] ^short = "医療機関コード (10 桁)"
* identifier[medicalInstitutionCode].system 1..1
* identifier[medicalInstitutionCode].system = $medical-institution-code (exactly)
* identifier[medicalInstitutionCode].value 1..1
* identifier[medicalInstitutionCode].value obeys nanbyo-hosp-2
* identifier[medicalInstitutionCode].value ^short = "都道府県番号 2 + 点数表番号 1 (1 医科 / 3 歯科) + 7 桁"
* type ^short = "hospital (病院) または clinic (診療所)"
* telecom MS
* address MS
* address ^short = "所在地 (JP Core の住所規則; address as in JP Core)"

Invariant: nanbyo-hosp-1
Description: "医療機関の種別は病院 (hospital) または診療所 (clinic)。A hospital's type is hospital or clinic (nanbyo-organization-type)."
Expression: "type.coding.where(system = 'http://nanbyo.jp/fhir/CodeSystem/nanbyo-organization-type' and (code = 'hospital' or code = 'clinic')).exists()"
Severity: #error

Invariant: nanbyo-hosp-2
Description: "医療機関コードは 10 桁: 都道府県番号 01〜47 + 点数表番号 1 (医科) または 3 (歯科) + 7 桁の数字。The 医療機関コード is 10 digits: prefecture 01-47, fee table 1 (medical) or 3 (dental), then 7 digits."
Expression: "matches('^(0[1-9]|[1-3][0-9]|4[0-7])[13][0-9]{7}$')"
Severity: #error

Invariant: nanbyo-hosp-3
Description: "都道府県 (拡張 nanbyo-prefecture) は医療機関コードの先頭 2 桁と一致する。The prefecture extension agrees with the first two digits of the 医療機関コード."
Expression: "extension.where(url = 'http://nanbyo.jp/fhir/StructureDefinition/nanbyo-prefecture').empty() or identifier.where(system = 'http://jpfhir.jp/fhir/core/IdSystem/insurance-medical-institution-no').empty() or identifier.where(system = 'http://jpfhir.jp/fhir/core/IdSystem/insurance-medical-institution-no').first().value.substring(0, 2) = extension.where(url = 'http://nanbyo.jp/fhir/StructureDefinition/nanbyo-prefecture').first().value.code"
Severity: #error
