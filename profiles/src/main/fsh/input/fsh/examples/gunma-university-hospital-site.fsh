Instance: gunma-university-hospital-site
InstanceOf: NanbyoFacilityLocation
Usage: #example
Title: "群馬大学医学部附属病院 所在地 (Gunma University Hospital, site)"
Description: "群馬大学医学部附属病院の所在地 (IHE mCSD の facility = Location + Organization)。"
* status = #active
* name = "群馬大学医学部附属病院"
* mode = #instance
* managingOrganization = Reference(gunma-university-hospital) "群馬大学医学部附属病院"
* extension[prefecture].valueCoding = $jp-prefecture-no#10 "群馬県"
* address.text = "群馬県前橋市昭和町3-39-15"
* address.state = "群馬県"
* address.city = "前橋市"
* address.line = "昭和町3-39-15"
* address.postalCode = "371-8511"
* address.country = "JP"
