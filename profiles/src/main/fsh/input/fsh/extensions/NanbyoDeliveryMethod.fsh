Extension: NanbyoDeliveryMethod
Id: nanbyo-delivery-method
Title: "提供方法 (Delivery method)"
Description: """
サービスの提供方法: 対面 (in-person) またはオンライン (online)。Da Vinci Plan-Net の delivery-method に相当。
How the service is delivered: in person or online (cf. Da Vinci Plan-Net's delivery-method).
Searchable as `delivery-method`.
"""
Context: HealthcareService
* insert ConformanceMetadata
* . ^short = "提供方法 (delivery method)"
* value[x] 1..1
* value[x] only code
* valueCode from NanbyoDeliveryMethod (required)
