Profile: NanbyoPublicHealthCenter
Parent: NanbyoOrganization
Id: nanbyo-public-health-center
Title: "保健所 (Nanbyo Public Health Center)"
Description: """
保健所 (群馬県では保健福祉事務所)。保健師が在宅療養を支援する。都道府県立の保健所は partOf に都道府県を、
政令市・中核市の保健所は市を示す。
A public health center (保健所); public health nurses support patients at home. partOf is the prefecture
government, or the city for city-run centers.
"""
* insert ConformanceMetadata
* type = NanbyoOrganizationType#public-health-center
* extension[prefecture] 1..1
* partOf MS
* partOf ^short = "設置した都道府県または市 (the prefecture or city running it)"
