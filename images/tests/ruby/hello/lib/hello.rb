module Hello
  def self.greet
    "hello from a local gem"
  end
end
