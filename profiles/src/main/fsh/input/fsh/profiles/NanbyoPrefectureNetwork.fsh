Profile: NanbyoPrefectureNetwork
Parent: NanbyoOrganization
Id: nanbyo-prefecture-network
Title: "都道府県の難病医療提供体制 (Nanbyo Prefecture Network)"
Description: """
都道府県の難病医療提供体制 (例: 群馬県難病医療提供体制)。都道府県 (partOf) の一部であり、すべての指定
(NanbyoDesignation) の organization 側になる。
A prefecture's rare-disease care network, part of the prefecture government; the organization side of
every designation (NanbyoDesignation.organization).
"""
* insert ConformanceMetadata
* type = NanbyoOrganizationType#prefecture-network
* extension[prefecture] 1..1
* partOf 1..1 MS
* partOf only Reference(NanbyoPrefectureGovernment)
* partOf ^short = "設置した都道府県 (the prefecture government)"
