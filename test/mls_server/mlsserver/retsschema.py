"""RETS metadata: MLS-local system names, lookups with local codes, classes.

The RETS side serves the same records as the RESO side under names in the
style of a Paragon system: readable names for the core fields (``L_ListingID``,
``L_UpdateDate``, ``L_AskingPrice``, ``LA1_AgentName``, ``LR_remarks11``) and
generic numbered names for the rest (``LM_Int4_3``, ``LM_Dec_2``,
``LM_Char10_5``, ``LFD_Appliances_7``), so a client needs a mapping set.
METADATA-TABLE carries the DD StandardName of every field.

Lookup values are local codes (``A``, ``S``, ``X`` for statuses; initials
for the rest) whose LongValues are local spellings ("Sold", "Cancelled").

Run ``python3 -m mlsserver.retsschema`` (from test/mls_server) to print the
SystemName -> StandardName tables in Markdown.
"""

import re

from . import datagen, dd

# RETS DataType / Interpretation per DD kind.
_DATATYPE = {dd.STRING: "Character", dd.INTEGER: "Int", dd.DECIMAL: "Decimal",
             dd.BOOLEAN: "Boolean", dd.DATE: "Date", dd.TIMESTAMP: "DateTime",
             dd.LOOKUP: "Character", dd.LOOKUP_MULTI: "Character"}
CURRENCY = {"ListPrice", "OriginalListPrice", "PreviousListPrice", "ClosePrice", "AssociationFee",
            "TaxAnnualAmount", "TaxAssessedValue"}
#: DD Boolean fields sent as Character(1) "Y"/"N" instead of Boolean "1"/"0".
YN_FIELDS = {"InternetEntireListingDisplayYN", "InternetAddressDisplayYN",
             "InternetAutomatedValuationDisplayYN", "InternetConsumerCommentYN"}

PROPERTY_NAMES = {
    "ListingKey": "L_ListingID", "ListingId": "L_DisplayId", "ModificationTimestamp": "L_UpdateDate",
    "OriginatingSystemName": "L_SystemSource", "OriginatingSystemKey": "L_SourceKey",
    "SourceSystemName": "L_SourceSystem", "OriginalEntryTimestamp": "L_InputDate",
    "StatusChangeTimestamp": "L_StatusChangeDate", "PriceChangeTimestamp": "L_PriceDate",
    "MajorChangeTimestamp": "L_LastChangeDate", "MajorChangeType": "L_LastChangeType",
    "PhotosChangeTimestamp": "L_Last_Photo_updt", "PhotosCount": "L_PictureCount",
    "StandardStatus": "L_Status", "MlsStatus": "L_StatusDesc", "PropertyType": "L_Type_",
    "PropertySubType": "L_SubType", "ListPrice": "L_AskingPrice", "OriginalListPrice": "L_OriginalPrice",
    "PreviousListPrice": "L_PrevPrice", "ClosePrice": "L_SoldPrice", "CloseDate": "L_ClosingDate",
    "ListingContractDate": "L_ListingDate", "OnMarketDate": "L_OnMarketDate",
    "OffMarketDate": "L_OffMarketDate", "PurchaseContractDate": "L_ContractDate",
    "ContractStatusChangeDate": "L_StatusDate", "ExpirationDate": "L_ExpirationDate",
    "DaysOnMarket": "L_DOM", "CumulativeDaysOnMarket": "L_CDOM", "UnparsedAddress": "L_Address",
    "StreetNumber": "L_AddressNumber", "StreetNumberNumeric": "L_AddressNumberLow",
    "StreetDirPrefix": "L_AddressDirection", "StreetName": "L_AddressStreet",
    "StreetSuffix": "L_AddressSuffix", "StreetDirSuffix": "L_AddressPostDir", "UnitNumber": "L_AddressUnit",
    "City": "L_City", "StateOrProvince": "L_State", "PostalCode": "L_Zip", "PostalCodePlus4": "L_Zip4",
    "CountyOrParish": "L_County", "Country": "L_Country", "ParcelNumber": "L_ParcelID",
    "Latitude": "LMD_MP_Latitude", "Longitude": "LMD_MP_Longitude", "SubdivisionName": "L_Subdivision",
    "MLSAreaMajor": "L_Area", "Directions": "LR_remarks44", "PublicRemarks": "LR_remarks11",
    "PrivateRemarks": "LR_remarks22", "ShowingInstructions": "LR_remarks33",
    "ListAgentKey": "L_ListAgent1", "ListAgentMlsId": "LA1_LoginName", "ListAgentFullName": "LA1_AgentName",
    "ListAgentFirstName": "LA1_UserFirstName", "ListAgentLastName": "LA1_UserLastName",
    "ListAgentEmail": "LA1_Email", "ListAgentDirectPhone": "LA1_PhoneNumber1",
    "ListAgentStateLicense": "LA1_License", "ListOfficeKey": "L_ListOffice1",
    "ListOfficeMlsId": "LO1_ShortName", "ListOfficeName": "LO1_OrganizationName",
    "ListOfficePhone": "LO1_PhoneNumber1", "CoListAgentKey": "L_ListAgent2",
    "CoListAgentMlsId": "LA2_LoginName", "CoListAgentFullName": "LA2_AgentName",
    "CoListOfficeKey": "L_ListOffice2", "CoListOfficeName": "LO2_OrganizationName",
    "BuyerAgentKey": "L_SellingAgent1", "BuyerAgentMlsId": "SA1_LoginName",
    "BuyerAgentFullName": "SA1_AgentName", "BuyerOfficeKey": "L_SellingOffice1",
    "BuyerOfficeMlsId": "SO1_ShortName", "BuyerOfficeName": "SO1_OrganizationName",
    "InternetEntireListingDisplayYN": "L_IdxInclude", "InternetAddressDisplayYN": "L_AddressDisplay",
    "InternetAutomatedValuationDisplayYN": "L_AVMDisplay",
    "InternetConsumerCommentYN": "L_CommentsDisplay", "VirtualTourURLUnbranded": "VT_VTourURL",
    "BedroomsTotal": "LM_Int1_1", "BathroomsFull": "LM_Int1_2", "BathroomsHalf": "LM_Int1_3",
    "BathroomsTotalInteger": "LM_Int1_4", "LivingArea": "LM_Dec_1", "YearBuilt": "LM_Int2_1",
}

MEMBER_NAMES = {
    "MemberKey": "U_AgentID", "MemberMlsId": "U_LoginName", "MemberFirstName": "U_UserFirstName",
    "MemberLastName": "U_UserLastName", "MemberFullName": "U_AgentName", "MemberEmail": "U_Email",
    "MemberDirectPhone": "U_PhoneNumber1", "MemberMobilePhone": "U_PhoneNumber2",
    "MemberStateLicense": "U_License", "MemberStateLicenseState": "U_LicenseState",
    "MemberStatus": "U_Status", "MemberType": "U_UserType", "OfficeKey": "U_OfficeID",
    "OfficeMlsId": "U_OfficeShortName", "OfficeName": "U_OfficeName",
    "ModificationTimestamp": "U_UpdateDate", "OriginalEntryTimestamp": "U_InputDate",
    "OriginatingSystemName": "U_SystemSource",
}

OFFICE_NAMES = {
    "OfficeKey": "O_OfficeID", "OfficeMlsId": "O_ShortName", "OfficeName": "O_OrganizationName",
    "OfficePhone": "O_PhoneNumber1", "OfficeEmail": "O_Email", "OfficeAddress1": "O_Address1",
    "OfficeCity": "O_City", "OfficeStateOrProvince": "O_State", "OfficePostalCode": "O_Zip",
    "OfficeStatus": "O_Status", "OfficeType": "O_OfficeType", "IDXOfficeParticipationYN": "O_IDX",
    "MainOfficeKey": "O_MainOfficeID", "MainOfficeMlsId": "O_MainShortName",
    "OfficeBrokerKey": "O_BrokerID", "OfficeBrokerMlsId": "O_BrokerLoginName",
    "ModificationTimestamp": "O_UpdateDate", "OriginalEntryTimestamp": "O_InputDate",
    "OriginatingSystemName": "O_SystemSource",
}

#: StandardStatus -> (code, short value); the LongValue is the local spelling.
STATUS_CODES = {
    "Active": ("A", "ACT"), "Active Under Contract": ("U", "AUC"), "Pending": ("P", "PND"),
    "Closed": ("S", "SLD"), "Expired": ("E", "EXP"), "Withdrawn": ("W", "WDN"),
    "Canceled": ("X", "CAN"), "Coming Soon": ("CS", "CSN"), "Hold": ("H", "HLD"),
    "Incomplete": ("I", "INC"), "Delete": ("D", "DEL"),
}
PROPERTY_TYPE_CODES = {
    "Residential": "RES", "Residential Lease": "LSE", "Residential Income": "INC", "Land": "LND",
    "Farm": "FRM", "Commercial Sale": "COM", "Commercial Lease": "CLS",
    "Business Opportunity": "BUS", "Manufactured In Park": "MIP",
}
#: Property classes: name -> (StandardName, visible name, PropertyTypes).
PROPERTY_CLASSES = {
    "RES": ("ResidentialProperty", "Residential", ("Residential", "Manufactured In Park")),
    "RNT": ("Lease", "Residential Lease", ("Residential Lease",)),
    "MUL": ("MultiFamily", "Multi-Family", ("Residential Income",)),
    "LND": ("LotsAndLand", "Lots and Land", ("Land", "Farm")),
    "COM": ("CommonInterest", "Commercial", ("Commercial Sale", "Commercial Lease",
                                             "Business Opportunity")),
    "ALL": ("", "All Property Types", None),
}

_GENERIC_PREFIX = {dd.INTEGER: "LM_Int4_", dd.DECIMAL: "LM_Dec_", dd.LOOKUP: "LM_Char10_",
                   dd.BOOLEAN: "LM_Bit_", dd.DATE: "LM_Date_", dd.TIMESTAMP: "LM_DateTime_"}


class RetsField:
    """One field of a RETS resource."""

    __slots__ = ("system", "standard", "kind", "datatype", "interpretation", "length", "precision",
                 "lookup", "dd_lookup", "yn")

    def __init__(self, system, field, lookup_name):
        self.system = system
        self.standard = field.name
        self.kind = field.kind
        self.yn = field.name in YN_FIELDS
        self.datatype = "Character" if self.yn else _DATATYPE[field.kind]
        if field.name == "ListingKey":      # numeric keys, as Paragon's L_ListingID
            self.datatype = "Long"
            self.length = 10
        if field.kind == dd.LOOKUP:
            self.interpretation = "Lookup"
        elif field.kind == dd.LOOKUP_MULTI:
            self.interpretation = "LookupMulti"
        elif field.name in CURRENCY:
            self.interpretation = "Currency"
        elif field.kind in (dd.INTEGER, dd.DECIMAL) or self.datatype == "Long":
            self.interpretation = "Number"
        else:
            self.interpretation = ""
        if self.datatype != "Long":
            self.length = 1 if self.yn else (field.length or 0)
        self.precision = field.scale if field.kind == dd.DECIMAL else 0
        self.lookup = lookup_name
        self.dd_lookup = field.lookup or field.name


class Lookup:
    """A RETS lookup: local codes, short values and long values of one DD lookup."""

    def __init__(self, name, visible, entries):
        self.name = name
        self.visible = visible
        self.entries = entries            # [(code, short, long, display)]
        self.by_display = {e[3]: e for e in entries}
        self.by_code = {e[0]: e for e in entries}


def _snake(name):
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).upper()


def _code(value, taken):
    words = re.findall(r"[A-Za-z0-9]+", value)
    code = "".join(w[0] for w in words).upper()
    if len(code) < 2:
        code = re.sub(r"[^A-Za-z0-9]", "", value).upper()[:4]
    base, n = code or "V", 1
    while code in taken:
        n += 1
        code = "%s%d" % (base, n)
    taken.add(code)
    return code


def build_lookup(catalog, dd_lookup):
    """Return the RETS :class:`Lookup` for a DD lookup name."""
    if dd_lookup == "StandardStatus":
        entries = [(code, short, datagen.MLS_STATUS[value], value)
                   for value, (code, short) in STATUS_CODES.items()]
        return Lookup("LISTING_STATUS", "Listing Status", entries)
    if dd_lookup == "PropertyType":
        entries = [(code, code, value, value) for value, code in PROPERTY_TYPE_CODES.items()]
        return Lookup("PROPERTY_TYPE", "Property Type", entries)
    taken = set()
    entries = []
    for value in datagen.lookup_values(catalog, dd_lookup):
        code = _code(value, taken)
        entries.append((code, value[:15].upper(), value, value))
    return Lookup(_snake(dd_lookup), re.sub(r"(?<=[a-z])(?=[A-Z])", " ", dd_lookup), entries)


class Resource:
    """A RETS resource: key field, classes, fields by system and standard name."""

    def __init__(self, name, standard, key_field, fields, classes, ts_field):
        self.name = name
        self.standard = standard
        self.key_field = key_field
        self.fields = fields                              # ordered [RetsField]
        self.by_system = {f.system: f for f in fields}
        self.by_standard = {f.standard: f for f in fields}
        self.classes = classes                            # name -> (standard, visible, types)
        self.ts_field = ts_field


class Schema:
    """The RETS metadata of an MLS (the same for every MLS of the server)."""

    def __init__(self, catalog):
        self.catalog = catalog
        self.lookups = {}
        self.resources = {
            "Property": self._resource("Property", "Property", PROPERTY_NAMES, PROPERTY_CLASSES),
            "Agent": self._resource("Agent", "Member", MEMBER_NAMES,
                                    {"Agent": ("Agent", "Agents", None)}),
            "Office": self._resource("Office", "Office", OFFICE_NAMES,
                                     {"Office": ("Office", "Offices", None)}),
        }

    def _resource(self, name, dd_resource, names, classes):
        fields = []
        counters = {}
        for dd_name, field in self.catalog.fields(dd_resource).items():
            if dd_resource != "Property" and dd_name not in names:
                continue
            system = names.get(dd_name)
            if system is None:
                system = _generic_name(field, counters)
            lookup_name = None
            if field.is_lookup:
                key = (name, field.lookup or dd_name)
                lookup = self.lookups.get(key)
                if lookup is None:
                    lookup = self.lookups[key] = build_lookup(self.catalog, field.lookup or dd_name)
                lookup_name = lookup.name
            fields.append(RetsField(system, field, lookup_name))
        key_field = names[dd.RESOURCES[dd_resource][0]]
        return Resource(name, dd_resource, key_field, fields, classes, names["ModificationTimestamp"])

    def lookup(self, resource, rets_field):
        """Return the :class:`Lookup` of a lookup field."""
        return self.lookups[(resource, rets_field.dd_lookup)]

    def lookups_of(self, resource):
        """Return the lookups used by a resource, by RETS lookup name."""
        return {lk.name: lk for (res, _), lk in self.lookups.items() if res == resource}


def _generic_name(field, counters):
    """Paragon-style numbered name for a field without a readable one."""
    if field.kind == dd.LOOKUP_MULTI:
        prefix = "LFD_%s_" % re.sub(r"[^A-Za-z]", "", field.name)[:20]
    elif field.kind == dd.STRING:
        prefix = "LR_remarks" if field.length >= 1000 else "LM_Char50_"
    else:
        prefix = _GENERIC_PREFIX[field.kind]
    if prefix.startswith("LFD_"):
        counters["LFD"] = counters.get("LFD", 0) + 1
        return "%s%d" % (prefix, 10 + counters["LFD"])
    counters[prefix] = counters.get(prefix, 0) + 1
    if prefix == "LR_remarks":
        return "%s%d" % (prefix, 55 + 11 * (counters[prefix] - 1))
    base = {"LM_Int4_": 0, "LM_Dec_": 1, "LM_Char10_": 0}.get(prefix, 0)
    return "%s%d" % (prefix, base + counters[prefix])


def markdown_tables(schema):
    """Return the SystemName -> StandardName tables of every resource in Markdown."""
    out = []
    for resource in schema.resources.values():
        out.append("#### %s (KeyField `%s`, timestamp `%s`)\n" % (
            resource.name, resource.key_field, resource.ts_field))
        out.append("| SystemName | StandardName | DataType | Interpretation | LookupName |")
        out.append("|---|---|---|---|---|")
        for f in resource.fields:
            out.append("| `%s` | %s | %s | %s | %s |" % (
                f.system, f.standard, f.datatype, f.interpretation, f.lookup or ""))
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(markdown_tables(Schema(dd.Catalog())))
