"""Static vocabulary for generated listings: places, streets, people, prose.

The region is the Austin, Texas metro (Travis, Williamson, Hays, Bastrop and
Caldwell counties) with real city names, ZIP codes and approximate centres.
Some personal and street names carry ISO-8859-1 accented letters on purpose,
so that encoding faults have something to break.
"""

# name, county, latitude, longitude, ZIP codes, price per sq ft, school district
CITIES = [
    ("Austin", "Travis", 30.2672, -97.7431,
     ["78701", "78702", "78703", "78704", "78705", "78721", "78723", "78727", "78731",
      "78745", "78748", "78749", "78750", "78757", "78759"], 385, "Austin ISD"),
    ("Round Rock", "Williamson", 30.5083, -97.6789, ["78664", "78665", "78681"], 235,
     "Round Rock ISD"),
    ("Cedar Park", "Williamson", 30.5052, -97.8203, ["78613"], 250, "Leander ISD"),
    ("Georgetown", "Williamson", 30.6333, -97.6770, ["78626", "78628", "78633"], 225,
     "Georgetown ISD"),
    ("Pflugerville", "Travis", 30.4394, -97.6200, ["78660"], 215, "Pflugerville ISD"),
    ("Leander", "Williamson", 30.5788, -97.8531, ["78641"], 225, "Leander ISD"),
    ("Kyle", "Hays", 29.9891, -97.8772, ["78640"], 190, "Hays CISD"),
    ("Buda", "Hays", 30.0852, -97.8403, ["78610"], 205, "Hays CISD"),
    ("San Marcos", "Hays", 29.8833, -97.9414, ["78666"], 195, "San Marcos CISD"),
    ("Lakeway", "Travis", 30.3638, -97.9797, ["78734", "78738"], 330, "Lake Travis ISD"),
    ("Hutto", "Williamson", 30.5427, -97.5467, ["78634"], 195, "Hutto ISD"),
    ("Manor", "Travis", 30.3408, -97.5569, ["78653"], 185, "Manor ISD"),
    ("Dripping Springs", "Hays", 30.1902, -98.0867, ["78620"], 300, "Dripping Springs ISD"),
    ("Bee Cave", "Travis", 30.3085, -97.9450, ["78738"], 340, "Lake Travis ISD"),
    ("Taylor", "Williamson", 30.5708, -97.4094, ["76574"], 170, "Taylor ISD"),
    ("Bastrop", "Bastrop", 30.1105, -97.3153, ["78602"], 175, "Bastrop ISD"),
    ("Elgin", "Bastrop", 30.3496, -97.3703, ["78621"], 170, "Elgin ISD"),
    ("Lockhart", "Caldwell", 29.8849, -97.6700, ["78644"], 165, "Lockhart ISD"),
    ("Wimberley", "Hays", 29.9974, -98.0986, ["78676"], 280, "Wimberley ISD"),
    ("Liberty Hill", "Williamson", 30.6649, -97.9225, ["78642"], 220, "Liberty Hill ISD"),
    ("West Lake Hills", "Travis", 30.2971, -97.8014, ["78746"], 620, "Eanes ISD"),
    ("Sunset Valley", "Travis", 30.2277, -97.8153, ["78745"], 330, "Austin ISD"),
]

# Relative weight of each city in the listing mix (same order as CITIES).
CITY_WEIGHTS = [30, 8, 6, 7, 6, 5, 5, 4, 4, 3, 3, 3, 2, 2, 2, 2, 1, 1, 1, 2, 1, 1]

STREET_NAMES = [
    "Live Oak", "Pecan", "Mesquite", "Bluebonnet", "Cypress Creek", "Hill Country", "Lamar",
    "Congress", "Guadalupe", "Barton Springs", "Brodie", "Slaughter", "Parmer", "Anderson Mill",
    "Spicewood Springs", "Shoal Creek", "Burnet", "Manchaca", "Riverside", "Oltorf", "Cameron",
    "Dessau", "Wells Branch", "Gattis School", "Sam Bass", "Red Bud", "Sundance", "Lakeline",
    "Whitestone", "Brushy Creek", "Mockingbird", "Cardinal", "Mustang", "Saddle", "Chisholm Trail",
    "Old Settlers", "University", "Williams", "Leander", "Cedar Elm", "Post Oak", "Bur Oak",
    "Magnolia", "Juniper", "Sycamore", "Willow", "Agarita", "Yaupon", "Sotol", "Yucca",
    "Blanco River", "San Gabriel", "Pedernales", "Colorado", "Llano", "Comal", "Frio", "Nueces",
    "Peñasco", "Cañón", "Señora", "Alamo", "San Jacinto", "Travis", "Austin", "Houston", "Bowie",
    "Crockett", "Lavaca", "Rio Grande", "Nueces Ridge", "Pinnacle", "Summit", "Vista Ridge",
    "Eagle Rock", "Falcon", "Hawk Hollow", "Quail Creek", "Deer Run", "Fox Run", "Bobcat",
]

# Street suffix: (short form, long form), as formatted by two different MLSs.
STREET_SUFFIXES = [
    ("Dr", "Drive"), ("St", "Street"), ("Ln", "Lane"), ("Rd", "Road"), ("Ct", "Court"),
    ("Cv", "Cove"), ("Trl", "Trail"), ("Way", "Way"), ("Blvd", "Boulevard"), ("Pl", "Place"),
    ("Loop", "Loop"), ("Pass", "Pass"), ("Bnd", "Bend"), ("Cir", "Circle"), ("Pkwy", "Parkway"),
    ("Ave", "Avenue"),
]

DIRECTIONS = {"N": "North", "S": "South", "E": "East", "W": "West"}

# County FIPS codes (state 48, Texas), the sub-country part of a RESO UPI.
COUNTY_FIPS = {"Travis": "48453", "Williamson": "48491", "Hays": "48209", "Bastrop": "48021",
               "Caldwell": "48055"}

SUBDIVISION_STEMS = [
    "Avery Ranch", "Brushy Creek", "Steiner Ranch", "Circle C Ranch", "Mueller", "Travis Heights",
    "Teravista", "Forest Creek", "Sun City", "Wolf Ranch", "Falcon Pointe", "Blackhawk",
    "Plum Creek", "Sunfield", "Belterra", "Rough Hollow", "Crystal Falls", "Block House Creek",
    "Twin Creeks", "Rancho Sienna", "Santa Rita Ranch", "Headwaters", "Caliterra",
    "Bee Cave West", "Spicewood Estates", "Windermere", "Park at Blackhawk", "Brentwood",
    "Crestview", "Allandale", "Tarrytown", "Zilker", "Bouldin Creek", "Hyde Park", "Rosedale",
    "Onion Creek", "Shady Hollow", "Great Hills", "Canyon Creek", "River Place", "Lost Creek",
    "Barton Creek", "Northwest Hills", "Balcones Woods", "Wells Branch", "Springbrook",
    "Château Hills", "Peñasco Ranch", "Vista Oaks", "Highland Park",
]

FIRST_NAMES = [
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
    "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
    "Christopher", "Karen", "Daniel", "Lisa", "Matthew", "Nancy", "Anthony", "Betty", "Mark",
    "Sandra", "Steven", "Ashley", "Andrew", "Emily", "Joshua", "Michelle", "Kevin", "Amanda",
    "Brian", "Melissa", "George", "Stephanie", "Timothy", "Rebecca", "Ryan", "Laura", "Jacob",
    "Amy", "Nicholas", "Kathleen", "Eric", "Angela", "Jonathan", "Shirley", "Justin", "Brenda",
    "Scott", "Pamela", "Brandon", "Emma", "Benjamin", "Olivia", "Samuel", "Sofía", "Gregory",
    "Renée", "Alexander", "Zoë", "Patrick", "Chloé", "Frank", "Inés", "José", "María", "Ramón",
    "Lucía", "Andrés", "Noël", "Björn", "Anaïs", "Raúl", "Mónica",
]

LAST_NAMES = [
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
    "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez",
    "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
    "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall",
    "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "O'Brien", "O'Connor", "McAllister",
    "García", "Muñoz", "Peña", "Ibáñez", "Núñez", "Jiménez", "Müller", "Schäfer", "Brontë",
    "Dubé", "Côté", "Valdés", "Ordóñez",
]

OFFICE_WORDS = [
    ("Lone Star", "Realty"), ("Bluebonnet", "Properties"), ("Hill Country", "Homes"),
    ("Capital City", "Real Estate"), ("Live Oak", "Realty Group"), ("Pecan Street", "Partners"),
    ("Lady Bird", "Realty"), ("Balcones", "Brokerage"), ("Colorado River", "Realty"),
    ("Twin Creeks", "Real Estate"), ("Cedar", "Realty Co."), ("Longhorn", "Properties"),
    ("Mockingbird", "Homes"), ("Armadillo", "Realty"), ("Sunset", "Realty Partners"),
    ("Highland", "Real Estate Group"), ("Barton", "Residential"), ("Señorita", "Realty"),
    ("Château", "Luxury Homes"), ("Pedernales", "Land & Ranch"),
]

SCHOOL_WORDS = [
    "Oak Hill", "Cedar Ridge", "Mills", "Kiker", "Baranoff", "Cowan", "Bowie", "Anderson",
    "McNeil", "Vandegrift", "Westwood", "Stony Point", "Vista Ridge", "Rouse", "Hendrickson",
    "Lehman", "Hays", "Johnson", "Dripping Springs", "Lake Travis", "Westlake", "Leander",
    "Cedar Park", "Glenn", "East View", "Weiss", "Elgin", "Bastrop", "Cedar Creek", "Lockhart",
]

MLS_AREAS = ["1A", "1B", "2", "2N", "3", "3E", "4", "5", "6", "7", "8E", "8W", "9", "10N",
             "10S", "11", "BC", "BU", "CLN", "GTE", "GTW", "HU", "KL", "LH", "LS", "PF", "RRE",
             "RRW", "SC", "SM", "TY", "WW"]

BUILDERS = ["Pulte Homes", "Lennar", "David Weekley Homes", "Perry Homes", "Taylor Morrison",
            "Drees Custom Homes", "Highland Homes", "Ashton Woods", "Meritage Homes",
            "Scott Felder Homes", "Coventry Homes", "Brohn Homes"]

REMARK_OPENERS = [
    "Welcome home to this beautifully maintained {style} in the heart of {subdivision}.",
    "Stunning {beds}-bedroom retreat on a quiet {suffix_long} in {city}.",
    "Move-in ready {style} with a thoughtful floor plan and abundant natural light.",
    "Rare opportunity in sought-after {subdivision}: {beds} bedrooms, {baths} baths and {area} sq ft.",
    "Charming {style} tucked away on a tree-lined lot just minutes from downtown {city}.",
    "Light-filled home offering {area} square feet of open-concept living.",
    "Fully renovated {style} where modern finishes meet Hill Country charm.",
]

REMARK_MIDDLES = [
    "The chef's kitchen features quartz counters, a large island, gas cooking and a walk-in pantry.",
    "The primary suite is a true retreat with a spa-like bath, soaking tub and dual vanities.",
    "Enjoy evenings on the covered patio overlooking the private, fenced backyard with mature oaks.",
    "Wide-plank hardwood floors flow through the living and dining areas.",
    "A flexible bonus room upstairs works perfectly as a media room, office or gym.",
    "Energy-efficient upgrades include solar screens, a smart thermostat and a tankless water heater.",
    "The oversized garage offers built-in storage and room for a workshop.",
    "Vaulted ceilings and a stone fireplace anchor the family room.",
    "Community amenities include a resort-style pool, hike-and-bike trails and a playground.",
    "Zoned to highly rated schools in {district}.",
    "Recent updates: new roof (2022), HVAC (2021) and fresh interior paint.",
    "The café-style breakfast nook opens to a sunny deck with views of the greenbelt.",
    "Low tax rate and no MUD; HOA covers common-area maintenance.",
    "Walk to shops, restaurants and the farmers' market; quick access to MoPac and I-35.",
]

REMARK_CLOSERS = [
    "Schedule your private showing today!",
    "Don't miss this one - it won't last long.",
    "Seller is offering a 2-1 rate buydown with an acceptable offer.",
    "Open house this weekend; see you there!",
    "Priced to sell; bring your buyers.",
    "A true gem in {city} - come see it for yourself.",
]

PRIVATE_REMARKS = [
    "Please use the ShowingTime app. Seller prefers 24 hours notice.",
    "Buyer to verify schools, square footage and HOA information.",
    "Survey available. Seller disclosure and HOA docs in the MLS attachments.",
    "Pre-approval or proof of funds required with all offers.",
    "Multiple offers received; highest and best due Monday at 5 PM.",
    "Dog on premises - please do not let out.",
]

SHOWING_INSTRUCTIONS = [
    "Go and show; lockbox on front door.",
    "Appointment required through ShowingTime.",
    "Call listing agent for access code.",
    "Vacant - supra on back door.",
    "24-hour notice; tenant occupied.",
]

DIRECTIONS_TEMPLATES = [
    "From {highway} take the {street} exit, head {dir} and turn onto {street2}. Home is on the {side}.",
    "Take {highway} to {street}, continue {dir} about a mile; property on the {side}.",
    "GPS friendly. From {highway} go {dir} on {street}, right on {street2}.",
]

HIGHWAYS = ["I-35", "MoPac", "US-183", "SH-45", "SH-130", "US-290", "RM 620", "RM 2222",
            "SH-71", "Parmer Ln"]

PHOTO_DESCRIPTIONS = [
    "Front exterior", "Living room", "Kitchen", "Dining area", "Primary bedroom",
    "Primary bath", "Secondary bedroom", "Backyard", "Patio", "Community pool",
    "Garage", "Laundry room", "Office", "Aerial view", "Street view", "Guest bath",
]

OPEN_HOUSE_REMARKS = [
    "Come tour this lovely home!", "Refreshments served.", "Meet the listing agent on site.",
    "Brokers welcome - lunch provided.", "Sunday open house, see you there.",
]

VIRTUAL_TOUR_HOSTS = ["https://tours.example.com/u/", "https://my.matterport.example/show/?m="]
