Profile: NanbyoSupportCenter
Parent: NanbyoOrganization
Id: nanbyo-support-center
Title: "支援センター (Nanbyo Support Center)"
Description: """
難病相談支援センター・移行期医療支援センターなどの支援センター。運営主体 (病院、都道府県など) があれば partOf で示す。
A support center (難病相談支援センター, 移行期医療支援センター, …); partOf names who runs it, if anyone.
"""
* insert ConformanceMetadata
* type = NanbyoOrganizationType#support-center
* partOf MS
* partOf ^short = "運営する組織 (operated by)"
