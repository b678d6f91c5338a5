"""The RESO Data Dictionary 2.0 catalogue, read from the shared CSV files.

The server serves a curated subset of DD 2.0 fields (about 160 for Property,
fewer for Member, Office, OpenHouse and Media).  Names, types, lengths,
precisions and lookup value spellings all come from ``fields.csv`` and
``lookups.csv`` at start-up; the lists below only choose which fields exist.
Nothing from the CSVs is copied into the repository.
"""

import csv
import os
import re

PROPERTY_FIELDS = """
ListingKey ListingId OriginatingSystemName OriginatingSystemKey SourceSystemName
ModificationTimestamp OriginalEntryTimestamp StatusChangeTimestamp PriceChangeTimestamp
MajorChangeTimestamp MajorChangeType PhotosChangeTimestamp PhotosCount StandardStatus MlsStatus
PropertyType PropertySubType ListPrice OriginalListPrice PreviousListPrice ClosePrice CloseDate
ListingContractDate OnMarketDate OffMarketDate PurchaseContractDate ContractStatusChangeDate
ExpirationDate DaysOnMarket CumulativeDaysOnMarket UnparsedAddress StreetNumber
StreetNumberNumeric StreetDirPrefix StreetName StreetSuffix StreetDirSuffix UnitNumber City
StateOrProvince PostalCode PostalCodePlus4 CountyOrParish Country ParcelNumber Latitude Longitude
SubdivisionName MLSAreaMajor Directions ElementarySchool MiddleOrJuniorSchool HighSchool
HighSchoolDistrict BedroomsTotal BathroomsTotalInteger BathroomsFull BathroomsHalf LivingArea
LivingAreaUnits LivingAreaSource BuildingAreaTotal YearBuilt YearBuiltSource StoriesTotal Levels
ArchitecturalStyle ConstructionMaterials Roof FoundationDetails Flooring Heating HeatingYN Cooling
CoolingYN FireplaceYN FireplacesTotal FireplaceFeatures Appliances InteriorFeatures
ExteriorFeatures LaundryFeatures WindowFeatures PatioAndPorchFeatures GarageYN GarageSpaces
AttachedGarageYN ParkingFeatures ParkingTotal PoolPrivateYN PoolFeatures View ViewYN
WaterfrontYN WaterfrontFeatures Fencing LotFeatures LotSizeAcres LotSizeSquareFeet LotSizeArea
LotSizeUnits LotSizeDimensions NewConstructionYN PropertyCondition Utilities Sewer WaterSource
GreenEnergyEfficient SecurityFeatures CommunityFeatures AccessibilityFeatures AssociationYN
AssociationFee AssociationFeeFrequency AssociationName AssociationAmenities
AssociationFeeIncludes TaxAnnualAmount TaxYear TaxAssessedValue ListingTerms
SpecialListingConditions BuyerFinancing LeaseTerm ListAgentKey ListAgentMlsId ListAgentFullName
ListAgentFirstName ListAgentLastName ListAgentEmail ListAgentDirectPhone ListAgentStateLicense
ListOfficeKey ListOfficeMlsId ListOfficeName ListOfficePhone CoListAgentKey CoListAgentMlsId
CoListAgentFullName CoListOfficeKey CoListOfficeName BuyerAgentKey BuyerAgentMlsId
BuyerAgentFullName BuyerOfficeKey BuyerOfficeMlsId BuyerOfficeName PublicRemarks PrivateRemarks
ShowingInstructions InternetEntireListingDisplayYN InternetAddressDisplayYN
InternetAutomatedValuationDisplayYN InternetConsumerCommentYN SyndicateTo
VirtualTourURLUnbranded Zoning Possession DirectionFaces Furnished PetsAllowed HomeWarrantyYN
SeniorCommunityYN NumberOfUnitsTotal BuilderName ListingAgreement Disclosures Inclusions
Exclusions UniversalPropertyId
""".split()

MEMBER_FIELDS = """
MemberKey MemberMlsId MemberFirstName MemberLastName MemberFullName MemberEmail
MemberDirectPhone MemberMobilePhone MemberStateLicense MemberStateLicenseState MemberStatus
MemberType OfficeKey OfficeMlsId OfficeName ModificationTimestamp OriginalEntryTimestamp
OriginatingSystemName
""".split()

OFFICE_FIELDS = """
OfficeKey OfficeMlsId OfficeName OfficePhone OfficeEmail OfficeAddress1 OfficeCity
OfficeStateOrProvince OfficePostalCode OfficeStatus OfficeType IDXOfficeParticipationYN
MainOfficeKey MainOfficeMlsId OfficeBrokerKey OfficeBrokerMlsId ModificationTimestamp
OriginalEntryTimestamp OriginatingSystemName
""".split()

OPENHOUSE_FIELDS = """
OpenHouseKey OpenHouseId ListingKey ListingId OpenHouseDate OpenHouseStartTime OpenHouseEndTime
OpenHouseStatus OpenHouseType OpenHouseRemarks Refreshments ShowingAgentKey ShowingAgentMlsID
ShowingAgentFirstName ShowingAgentLastName ModificationTimestamp OriginalEntryTimestamp
OriginatingSystemName
""".split()

MEDIA_FIELDS = """
MediaKey ResourceName ResourceRecordKey ResourceRecordID MediaURL Order MediaCategory MediaType
Permission ImageWidth ImageHeight ImageSizeDescription ShortDescription LongDescription
PreferredPhotoYN MediaModificationTimestamp ModificationTimestamp MediaObjectID MediaStatus
OriginatingSystemName
""".split()

#: Served resources: name -> (key field, curated field list).
RESOURCES = {
    "Property": ("ListingKey", PROPERTY_FIELDS),
    "Member": ("MemberKey", MEMBER_FIELDS),
    "Office": ("OfficeKey", OFFICE_FIELDS),
    "OpenHouse": ("OpenHouseKey", OPENHOUSE_FIELDS),
    "Media": ("MediaKey", MEDIA_FIELDS),
}

# Kinds of value a field holds, derived from the DD SimpleDataType.
STRING, INTEGER, DECIMAL, BOOLEAN, DATE, TIMESTAMP, LOOKUP, LOOKUP_MULTI = (
    "string", "integer", "decimal", "boolean", "date", "timestamp", "lookup", "lookup_multi",
)


class Field:
    """One DD field as served: name, kind, sizes and lookup name."""

    __slots__ = ("resource", "name", "kind", "length", "scale", "lookup")

    def __init__(self, resource, name, kind, length, scale, lookup):
        self.resource = resource
        self.name = name
        self.kind = kind
        self.length = length
        self.scale = scale
        self.lookup = lookup

    @property
    def is_lookup(self):
        """True for single- and multi-valued lookup fields."""
        return self.kind in (LOOKUP, LOOKUP_MULTI)

    def __repr__(self):
        return "Field(%s.%s %s)" % (self.resource, self.name, self.kind)


def _kind(simple_type, scale):
    if simple_type == "String":
        return STRING
    if simple_type == "Number":
        return DECIMAL if scale else INTEGER
    if simple_type == "Boolean":
        return BOOLEAN
    if simple_type == "Date":
        return DATE
    if simple_type == "Timestamp":
        return TIMESTAMP
    if simple_type == "String List, Single":
        return LOOKUP
    if simple_type == "String List, Multi":
        return LOOKUP_MULTI
    raise ValueError("unsupported DD type %r" % simple_type)


def legacy_member_name(display):
    """Derive an OData EnumType member name for a value the DD does not list.

    Open lookups (City, MlsStatus, ...) carry local values; an EnumType server
    spells them without spaces and punctuation, as the DD does for its own.
    """
    name = re.sub(r"[^0-9A-Za-z]", "", display)
    if not name or name[0].isdigit():
        name = "_" + name
    return name


class Catalog:
    """Field definitions and lookup spellings for the served resources."""

    def __init__(self, directory):
        fields_csv = os.path.join(directory, "fields.csv")
        lookups_csv = os.path.join(directory, "lookups.csv")
        rows = {}
        with open(fields_csv, encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                rows[(row["ResourceName"], row["StandardName"])] = row
        self.resources = {}
        for resource, (_key, names) in RESOURCES.items():
            fields = {}
            for name in names:
                row = rows.get((resource, name))
                if row is None:
                    raise ValueError("%s.%s is not in %s" % (resource, name, fields_csv))
                scale = int(row["SugMaxPrecision"] or 0)
                length = int(row["SugMaxLength"] or 0)
                fields[name] = Field(
                    resource, name, _kind(row["SimpleDataType"], scale), length, scale,
                    row["LookupName"] or None,
                )
            self.resources[resource] = fields
        self._values = {}
        self._to_legacy = {}
        self._to_display = {}
        with open(lookups_csv, encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                name, display, legacy = (
                    row["LookupName"], row["StandardLookupValue"], row["LegacyODataValue"],
                )
                self._values.setdefault(name, []).append(display)
                self._to_legacy[(name, display)] = legacy
                self._to_display[(name, legacy)] = display

    def fields(self, resource):
        """Return the ordered ``{name: Field}`` of a served resource."""
        return self.resources[resource]

    def values(self, lookup):
        """Return the DD display values of ``lookup`` (empty for open lookups)."""
        return self._values.get(lookup, [])

    def legacy(self, lookup, display):
        """Return the EnumType member name of a display value."""
        return self._to_legacy.get((lookup, display)) or legacy_member_name(display)

    def display(self, lookup, legacy):
        """Return the display value of an EnumType member name, or None."""
        return self._to_display.get((lookup, legacy))


def default_reference_dir():
    """Return ``$MLSYNC_SHARED_DIR/reference/reso-dd-2.0`` when that variable is set,
    else ``<repo>/../shared/reference/reso-dd-2.0`` resolved from this file."""
    if os.environ.get("MLSYNC_SHARED_DIR"):
        return os.path.join(os.environ["MLSYNC_SHARED_DIR"], "reference", "reso-dd-2.0")
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.normpath(os.path.join(here, "..", "..", ".."))
    return os.path.join(os.path.dirname(repo), "shared", "reference", "reso-dd-2.0")
