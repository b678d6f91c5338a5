// Checks the RETS side of the sample MLS server with the npm package
// rets-client 5.2.4: Digest login, search with paging (Limit/Offset, COUNT),
// COMPACT-DECODED values against the server's own truth, GetObject multipart
// and single objects, Location=1, logout.  Exits non-zero on any mismatch.
//
//   node check.js http://127.0.0.1:PORT [MLS]
//
// Written for Node 18 and later (Debian 12's nodejs): CommonJS, no newer syntax.
'use strict';

var http = require('http');
var rets = require('rets-client');

var base = process.argv[2];
var mls = process.argv[3] || 'demo';
var failures = 0;

function check(ok, message) {
  if (ok) {
    console.log('ok - ' + message);
  } else {
    failures += 1;
    console.log('not ok - ' + message);
  }
}

function fetchJson(path) {
  return new Promise(function (resolve, reject) {
    http.get(base + path, function (res) {
      var chunks = [];
      res.on('data', function (c) { chunks.push(c); });
      res.on('end', function () {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch (err) {
          reject(err);
        }
      });
    }).on('error', reject);
  });
}

function fetchBytes(url) {
  return new Promise(function (resolve, reject) {
    http.get(url, function (res) {
      var chunks = [];
      res.on('data', function (c) { chunks.push(c); });
      res.on('end', function () { resolve(Buffer.concat(chunks)); });
    }).on('error', reject);
  });
}

function truthRecords() {
  return new Promise(function (resolve, reject) {
    http.get(base + '/control/truth?mls=' + mls + '&format=jsonl', function (res) {
      var chunks = [];
      res.on('data', function (c) { chunks.push(c); });
      res.on('end', function () {
        var byKey = {};
        Buffer.concat(chunks).toString('utf8').split('\n').forEach(function (line) {
          if (line) {
            var rec = JSON.parse(line);
            byKey[rec.ListingKey] = rec;
          }
        });
        resolve(byKey);
      });
    }).on('error', reject);
  });
}

var settings = {
  loginUrl: base + '/' + mls + '/rets/login',
  username: 'mlsync',
  password: 'rets-pass',
  version: 'RETS/1.7.2',
  userAgent: 'rets-client-check/1.0'
};

var STATUS_LONG = {
  'Active': 'Active', 'Active Under Contract': 'Contingent', 'Pending': 'Pending',
  'Closed': 'Sold', 'Expired': 'Expired', 'Withdrawn': 'Temporarily Withdrawn',
  'Canceled': 'Cancelled', 'Coming Soon': 'Coming Soon', 'Hold': 'Temp Off Market'
};
var PAGE = 7;

function searchPage(client, offset) {
  return client.search.query('Property', 'ALL', '(L_ListingID=0+)', {
    select: 'L_ListingID,L_UpdateDate,L_Status,L_AskingPrice,L_City,L_PictureCount',
    limit: PAGE,
    offset: offset
  }).catch(function (err) {
    if (err.replyCode === '20201') {
      return { results: [], count: 0 };
    }
    throw err;
  });
}

// rets-client lists the multipart response's own headerInfo as its first "object".
function parts(res) {
  return (res.objects || []).filter(function (o) { return o.type !== 'headerInfo'; });
}

function run(truth) {
  var expectedKeys = Object.keys(truth).sort();
  return rets.getAutoLogoutClient(settings, function (client) {
    check(!!client.urls.Search && client.urls.Search.indexOf('http') === 0, 'login resolved the Search URL');
    check(!!client.urls.GetObject, 'login returned a GetObject URL');
    var seen = [];
    var total = null;

    function next(offset) {
      return searchPage(client, offset).then(function (result) {
        if (total === null && typeof result.count === 'number') {
          total = result.count;
        }
        result.results.forEach(function (row) { seen.push(row); });
        if (result.results.length === PAGE && seen.length < total) {
          return next(offset + PAGE);
        }
        return null;
      });
    }

    return next(1).then(function () {
      check(total === expectedKeys.length, 'COUNT is ' + total + ', truth has ' + expectedKeys.length);
      var keys = seen.map(function (r) { return r.L_ListingID; });
      var unique = {};
      keys.forEach(function (k) { unique[k] = true; });
      check(Object.keys(unique).length === keys.length, 'paging returned no duplicates');
      check(keys.slice().sort().join(',') === expectedKeys.join(','),
            'paging with Limit/Offset returned every listing exactly once (' + keys.length + ')');
      var mismatches = 0;
      seen.forEach(function (row) {
        var rec = truth[row.L_ListingID];
        if (!rec || STATUS_LONG[rec.StandardStatus] !== row.L_Status ||
            Number(row.L_AskingPrice) !== rec.ListPrice || row.L_City !== rec.City ||
            Number(row.L_PictureCount) !== rec.PhotosCount) {
          mismatches += 1;
        }
      });
      check(mismatches === 0, 'COMPACT-DECODED values match the truth (' + mismatches + ' mismatches)');

      var withPhotos = seen.filter(function (r) { return Number(r.L_PictureCount) >= 2; });
      var listing = withPhotos[0].L_ListingID;
      var count = Number(withPhotos[0].L_PictureCount);
      return client.objects.getAllObjects('Property', 'Photo', listing).then(function (res) {
        var objects = parts(res);
        check(objects.length === count, 'getAllObjects returned ' + objects.length + ' of ' + count + ' photos');
        var jpegs = objects.filter(function (o) {
          return o.data && o.data[0] === 0xFF && o.data[1] === 0xD8;
        });
        check(jpegs.length === count, 'every part is a JPEG');
        check(objects[0].headerInfo.contentId === listing, 'parts carry Content-ID');
        return client.objects.getObjects('Property', 'Photo', listing + ':1');
      }).then(function (single) {
        check(single.data && single.data[0] === 0xFF && single.headerInfo.objectId === '1',
              'single object request returned one JPEG');
        return fetchBytes(base + '/' + mls + '/media/' + listing + '/1.jpg').then(function (bytes) {
          check(bytes.equals(single.data), 'GetObject bytes equal the media URL bytes');
        });
      }).then(function () {
        return client.objects.getObjects('Property', 'Photo', listing + ':1:99', { alwaysGroupObjects: true });
      }).then(function (res) {
        var objects = parts(res);
        var errors = objects.filter(function (o) { return o.error; });
        check(objects.length === 2 && errors.length === 1, 'a missing object comes back as an error part');
        return client.objects.getObjects('Property', 'Photo', listing + ':*', { Location: 1 });
      }).then(function (res) {
        var located = parts(res).filter(function (o) { return o.headerInfo && o.headerInfo.location; });
        check(located.length === count, 'Location=1 gives a URL for every photo');
      });
    });
  });
}

fetchJson('/control/health').then(function () {
  return truthRecords();
}).then(run).then(function () {
  console.log(failures === 0 ? 'rets-client check passed' : failures + ' check(s) failed');
  process.exit(failures === 0 ? 0 : 1);
}).catch(function (err) {
  console.log('not ok - ' + (err && err.stack ? err.stack : err));
  process.exit(1);
});
