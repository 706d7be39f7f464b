# TLS: the default certificate store holds the CA bundle (no network: each root in the bundle verifies against it,
# at a time inside its validity, so that a root that has since expired still counts).
require "openssl"
require "zlib"
bundle = File.read(OpenSSL::X509::DEFAULT_CERT_FILE)
roots = bundle.scan(/-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----/m).map { |pem| OpenSSL::X509::Certificate.new(pem) }
trusted = roots.count do |c|
  store = OpenSSL::X509::Store.new
  store.set_default_paths
  store.time = c.not_before + 60
  store.verify(c)
end
raise "only #{trusted} of #{roots.size} CAs verify against the default store" if roots.size < 100 || trusted != roots.size
puts "cas: #{trusted}"
# zlib: a round trip
data = "kolibri " * 1000
raise "zlib round trip" unless Zlib::Inflate.inflate(Zlib::Deflate.deflate(data)) == data
puts "zlib: #{Zlib.deflate(data).bytesize} bytes"
# timezones: from tzdata
ENV["TZ"] = "Asia/Kolkata"
t = Time.at(0)
raise "TZ not applied: #{t.utc_offset}" unless t.utc_offset == 19800
ENV["TZ"] = "America/New_York"
raise "New York offset" unless Time.at(0).utc_offset == -18000
puts "tz: #{Time.at(0).zone}"
puts "ok"
