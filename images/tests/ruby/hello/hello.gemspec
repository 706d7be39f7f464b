Gem::Specification.new do |s|
  s.name = "hello"
  s.version = "0.1.0"
  s.summary = "A local gem the builder test builds and installs, offline"
  s.authors = ["Kolibri"]
  s.license = "MIT"
  s.files = ["lib/hello.rb"]
end
