Profile: NanbyoPrefectureGovernment
Parent: NanbyoOrganization
Id: nanbyo-prefecture-government
Title: "都道府県 (Nanbyo Prefecture Government)"
Description: """
都道府県 (行政組織)。難病診療連携拠点病院などを指定し、難病医療連絡協議会を設置する。管轄区域としての都道府県は
NanbyoJurisdictionLocation (level prefecture) で表し、都道府県番号で対応づける。
A prefecture government: it designates hospitals and runs the liaison council. Its territory is a
NanbyoJurisdictionLocation at level prefecture with the same prefecture number.
"""
* insert ConformanceMetadata
* type = NanbyoOrganizationType#prefecture-government
* extension[prefecture] 1..1
