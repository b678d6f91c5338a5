"""Sample MLS server for mlsync's tests, benchmark and demo.

A local stand-in for real Multiple Listing Services: it serves deterministic,
realistic listing data over the RESO Web API (OData 4) and RETS 1.7.2, with
the quirks real servers show, switchable faults, a control API that moves the
market forward and reports the truth, and replay of recorded RETS responses.

Modules, one concern each:

    dd          RESO Data Dictionary 2.0 catalogue read from fields.csv/lookups.csv
    vocab       static vocabulary: places, streets, names, remarks
    timeutil    timestamps: parsing, formatting, time zones
    datagen     deterministic generation of Property/Member/Office/OpenHouse/Media
    images      tiny deterministic JPEG encoder for listing photos
    market      the state of one MLS: records, indexes, clock, advance, truth
    odata       OData $filter/$orderby parsing and evaluation
    reso        RESO Web API: OAuth2, collections, paging, $metadata
    retsschema  RETS system names, lookups and metadata documents
    dmql        DMQL2 query parsing and evaluation
    rets        RETS transactions: Login, Search, GetMetadata, GetObject, Logout
    faults      fault rules switchable per request pattern
    replay      replay of recorded raw HTTP responses
    control     the /control/ JSON API
    httpcore    HTTP plumbing: server, dispatch, delivery, request log
    quirks      options of the quirky and hostile behaviours (all off by default)
    hostile     those behaviours: data decoration, request/response hooks, nextLinks
    listener    a second socket recording what reaches "another host"
"""
